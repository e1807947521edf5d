"""Style and mood from words (the lexicon path), English and Chinese.

Mood words set valence and arousal (Russell's circumplex); energy words
('energetic', 'gentle', '动感') move arousal only, so 'a sad but driving song'
stays sad. Negation flips and softens a mood ('not sad' is mildly positive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.lexicon import energy_words, find_phrases, keys_tuple, load_prompt, mood_table, mood_words, style_words


@dataclass(frozen=True)
class StyleFound:
    style: str
    phrase: str
    start: int


@dataclass(frozen=True)
class MoodFound:
    mood: str  # label from prompts/moods.json
    valence: float
    arousal: float
    phrases: tuple[str, ...]
    guessed: bool = False  # from the embedding model, not a mood word


def find_styles(text: str, tokens=None) -> list[StyleFound]:
    """Every style word, in text order ('a jazz waltz' -> jazz, waltz); negated ones are left out
    ('anything except electronic')."""
    words = style_words()
    return [StyleFound(words[m.phrase], m.phrase, m.start) for m in find_phrases(text, keys_tuple(words), tokens)
            if _weight(text, m.start) > 0]


_NEGATION = re.compile(r"(?:\bnot|\bno|n't|\bnever|\bwithout|\bless|\binstead of|\brather than|\bexcept|\banything but|"
                       r"\bother than|\bnothing|不|没有|别|不要|不太)"
                       r"(?:\s+(?:too|very|so|that|really|overly|a|an|at all|be|feel|sound|sounding|being|like|any|"
                       r"anything|something))*\s*$")
_INTENSIFIER = re.compile(r"(?:\bvery|\breally|\bextremely|\bsuper|\bso|\bdeeply|\bhighly|\btruly|\bincredibly|"
                          r"\butterly|\bprofound(?:ly)?|\bstrong sense of|很|非常|特别|超级|极其|十分)\s*$")
_SOFTENER = re.compile(r"(?:\bslightly|\ba bit|\ba little|\bsomewhat|\bkind of|\bmildly|\bfaintly|\bhint of|\btouch of|"
                       r"有点|有一点|稍微|略微|略带|带点)\s*$")


# 'evokes sorrow', 'filled with joy', 'a sense of unease', 'its gladness nature': the word names the emotion.
_EMOTION_FRAME_BEFORE = re.compile(
    r"(?:evok\w*|convey\w*|express\w*|radiat\w*|project\w*|exud\w*|imbued with|filled with|full of|"
    r"characteri[sz]ed by|defined by|sense of|feeling of|feelings of|mood of|atmosphere of|emotion of|air of|"
    r"brimming with|infused with|captur\w* (?:a |the )?(?:sense|feeling) of|with its|known for its|"
    r"tinged with|touch of|hint of|感觉|情绪|充满)\s+(?:a |an |the |strong |deep |profound |sense of |great )*$")
_EMOTION_FRAME_AFTER = re.compile(r"\s+(?:nature|feeling|vibe|mood|atmosphere|emotion|quality|spirit)\b")
# 'a calm and moderate rhythm', 'an exhilarating listening experience': the word describes something else.
_NOT_EMOTION_AFTER = re.compile(r"(?:rhythm|beat|pace|tempo|movement|groove|listening experience|experience|"
                                r"sound|performance|melody line|节奏)")


def _weight(text: str, start: int, end: int | None = None) -> float:
    before = text[max(0, start - 40):start]
    if _NEGATION.search(before[-24:]):
        return -0.5
    w = 1.0
    if _INTENSIFIER.search(before[-24:]):
        w = 1.3
    elif _SOFTENER.search(before[-24:]):
        w = 0.6
    if end is not None:
        after = text[end:end + 40]
        clause_after = re.split(r"[.,;!?。，；]", after, maxsplit=1)[0][:28]
        if _EMOTION_FRAME_BEFORE.search(before) or _EMOTION_FRAME_AFTER.match(after):
            w *= 3.0
        elif _NOT_EMOTION_AFTER.search(clause_after):
            w *= 0.25
    return w


def find_mood(text: str, tokens=None) -> MoodFound | None:
    """Mood label, valence and arousal from mood words; None when the message names no mood."""
    words = mood_words()
    table = mood_table()
    hits = find_phrases(text, keys_tuple(words), tokens)
    if not hits:
        return None
    val = aro = total = 0.0
    votes: dict[str, float] = {}
    for m in hits:
        label = words[m.phrase]
        w = _weight(text, m.start, m.end)
        entry = table[label]
        val += w * entry["valence"]
        aro += w * entry["arousal"] if w > 0 else 0.5 * w * entry["arousal"]
        total += abs(w) if w > 0 else 0.5
        votes[label] = votes.get(label, 0.0) + w
    val /= max(total, 1e-6)
    aro /= max(total, 1e-6)
    best = max(votes, key=lambda k: votes[k])
    if votes[best] <= 0:  # only negated moods ('not sad')
        best = "hopeful" if val >= 0 else "sad"
    return MoodFound(best, max(-1.0, min(1.0, val)), max(-1.0, min(1.0, aro)), tuple(m.phrase for m in hits))


def find_energy(text: str, tokens=None) -> float | None:
    """Mean arousal push of energy words ('energetic' +, 'gentle' -), None if there are none."""
    words = energy_words()
    hits = find_phrases(text, keys_tuple(words), tokens)
    if not hits:
        return None
    vals = []
    for m in hits:
        w = _weight(text, m.start)
        vals.append(words.get(m.phrase, 0.0) * (w if w > 0 else -0.5 * 2))
    return max(-1.0, min(1.0, sum(vals) / len(vals)))


@dataclass(frozen=True)
class OccasionFound:
    """What a named occasion implies ('workout music' is fast electronic with drums); see prompts/occasions.json."""

    name: str
    phrase: str
    style: str | None
    mood: str | None
    energy: float | None
    drums: bool | None
    bars: int | None
    tempo: tuple[float, float] | None = None  # the occasion's own tempo range, when it chose the style
    mode: str | None = None


@lru_cache(maxsize=1)
def _occasion_phrases() -> tuple[dict[str, str], tuple[str, ...]]:
    table = load_prompt("occasions.json")["occasions"]
    phrase_to_name = {p.lower(): name for name, d in table.items() for p in d.get("en", []) + d.get("zh", [])}
    return phrase_to_name, keys_tuple(phrase_to_name)


def find_occasion(text: str, tokens=None) -> OccasionFound | None:
    """The weightiest occasion the message names ('background music for a boss fight' is a boss fight)."""
    table = load_prompt("occasions.json")["occasions"]
    phrase_to_name, phrases = _occasion_phrases()
    best: tuple[float, int, OccasionFound] | None = None
    for m in find_phrases(text, phrases, tokens):
        if _weight(text, m.start) < 0:  # "not for sleeping"
            continue
        name = phrase_to_name[m.phrase]
        d = table[name]
        tempo = tuple(float(x) for x in d["tempo"]) if isinstance(d.get("tempo"), list) and len(d["tempo"]) == 2 else None
        found = OccasionFound(name, m.phrase, d.get("style"), d.get("mood"), d.get("energy"), d.get("drums"),
                              d.get("bars"), tempo, d.get("mode"))
        rank = (float(d.get("weight", 1.0)), len(m.phrase))
        if best is None or rank > best[:2]:
            best = (rank[0], rank[1], found)
    return best[2] if best else None


# "a short sad song", "a long piano piece", "一首简短的": a length in bars when no number is given
_SIZE_WORDS = (
    (4, re.compile(r"\b(?:very|really|super|extremely|quite)\s+short\b|\btiny\b|\bshort and sweet\b|\bminiature\b|"
                   r"很短|非常短|超短|特别短")),
    (64, re.compile(r"\b(?:very|really|super|extremely)\s+long\b|很长|非常长|超长|特别长")),
    (8, re.compile(r"\bshort\b(?!\s*(?:notes?|phrases?|breaks?|rests?|staccato|bursts?|-lived))|\bbrief\b|\bquick\s+"
                   r"(?:jingle|tune|ditty|piece|song|melody|loop)\b|\blittle\s+(?:tune|ditty|melody|piece|song|jingle)\b|"
                   r"简短|短小|短的|短一点的|小段|一小段|短曲")),
    (32, re.compile(r"\blong\b(?!\s*(?:notes?|phrases?|tones?|time|ago|journey|way|road|day|night))|\bextended\b|"
                    r"\blengthy\b|长一点的|长的|长篇")),
)


def find_size(text: str) -> int | None:
    """Bars for a size word ('short' 8, 'very short' 4, 'long' 32), or None."""
    for bars, pattern in _SIZE_WORDS:
        if pattern.search(text):
            return bars
    return None
