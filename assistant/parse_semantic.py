"""Style and mood from words (the lexicon path), English and Chinese.

Mood words set valence and arousal (Russell's circumplex); energy words
('energetic', 'gentle', '动感') move arousal only, so 'a sad but driving song'
stays sad. Negation flips and softens a mood ('not sad' is mildly positive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon import energy_words, find_phrases, keys_tuple, mood_table, mood_words, style_words


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


def find_styles(text: str, tokens=None) -> list[StyleFound]:
    """Every style word, in text order ('a jazz waltz' -> jazz, waltz)."""
    words = style_words()
    return [StyleFound(words[m.phrase], m.phrase, m.start) for m in find_phrases(text, keys_tuple(words), tokens)]


_NEGATION = re.compile(r"(?:\bnot|\bno|n't|\bnever|\bwithout|\bless|\binstead of|\brather than|不|没有|别|不要|不太)"
                       r"(?:\s+(?:too|very|so|that|really|overly|a|at all))*\s*$")
_INTENSIFIER = re.compile(r"(?:\bvery|\breally|\bextremely|\bsuper|\bso|\bdeeply|\bhighly|\btruly|\bincredibly|"
                          r"\butterly|\bprofound(?:ly)?|\bstrong sense of|很|非常|特别|超级|极其|十分)\s*$")
_SOFTENER = re.compile(r"(?:\bslightly|\ba bit|\ba little|\bsomewhat|\bkind of|\bmildly|\bfaintly|\bhint of|\btouch of|"
                       r"有点|有一点|稍微|略微|略带|带点)\s*$")


def _weight(text: str, start: int) -> float:
    before = text[max(0, start - 24):start]
    if _NEGATION.search(before):
        return -0.5
    if _INTENSIFIER.search(before):
        return 1.3
    if _SOFTENER.search(before):
        return 0.6
    return 1.0


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
        w = _weight(text, m.start)
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
