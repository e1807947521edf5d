"""Explicit attributes stated in a request: tempo, key and mode, meter, length, drums, seed.

Pure functions from normalised text to small value objects; nothing here knows
about the current piece or about intents. ``text`` is the lower-cased message
with number words already turned into digits; ``raw`` keeps the original case
(needed to tell the key 'A minor' from the article in 'a minor key').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon import (
    find_phrases,
    genre_meter_words,
    italian_tempo_terms,
    keys_tuple,
    meter_words,
    tempo_words,
)
from music.spec import SUPPORTED_METERS
from music.theory import note_name_to_pc, pc_to_name, spell_tonic

# ---- tempo -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TempoFound:
    bpm: float
    source: str  # "number", "word", "hedge"
    phrase: str


_BPM_NUM = r"(\d{1,6}(?:\.\d+)?)"
_TEMPO_NUMBER_PATTERNS = (
    rf"{_BPM_NUM}\s*-?\s*(?:bpm|b\.p\.m\.?|beats?\s*(?:per|a|/)\s*min(?:ute)?|beats per minute|拍每分钟|拍/分钟|拍/分)",
    rf"(?:tempo|speed|metronome|bpm|速度|节奏|节拍器|♩|q|quarter(?:[- ]note)?|crotchet)\s*(?:of|at|is|to|around|about|=|:|：|为|是|设为|设置为|大约|约|改成|改为|调到|调成|换成|到|变成)?\s*"
    rf"(?:around|about|roughly|approximately|~|≈)?\s*{_BPM_NUM}(?!\s*(?:bars?|seconds?|secs?|minutes?|小节|秒|分钟|%))",
    rf"每分钟\s*{_BPM_NUM}\s*拍",
    rf"{_BPM_NUM}\s*(?:的)?速度",
)
# "100拍", "一首80拍的慢歌": beats per minute in Chinese shorthand; "3/4拍" is a meter, "16拍" a length
_ZH_BEATS = re.compile(r"(?<![/\d.])(\d{2,3})\s*拍(?![子号])")
_HEDGE_NUMBER = re.compile(
    rf"(?<![\d.])(?<![\d.] )(?<![\d.]  )(?:around|about|roughly|approximately|at|near|~|大约|大概|左右)\s*{_BPM_NUM}"
    r"(?!\d|\s*(?:~|-|to|–)?\s*\d|\s*-?\s*(?:bars?|measures?|seconds?|secs?|s\b|minutes?|mins?|notes?|%|小节|秒|分钟|个|首|次|版|号|"
    r"octaves?|semitones?|years?|people|times|percent))"
)


def find_tempo(text: str, tokens=None) -> tuple[TempoFound | None, list[TempoFound]]:
    """The tempo the message asks for, plus every tempo it mentions (to detect conflicts).

    Numbers win over Italian terms, which win over plain words ('slow', '快').
    """
    found: list[TempoFound] = []
    for pat in _TEMPO_NUMBER_PATTERNS:
        for m in re.finditer(pat, text):
            found.append(TempoFound(float(m.group(1)), "number", m.group(0)))
    found += [TempoFound(float(m.group(1)), "number", m.group(0)) for m in _ZH_BEATS.finditer(text)
              if 30 <= float(m.group(1)) <= 300 and not any(m.group(0) in f.phrase for f in found)]
    if found:
        found.sort(key=lambda t: text.find(t.phrase))
        return found[0], found
    for m in _HEDGE_NUMBER.finditer(text):
        value = float(m.group(1))
        if 30 <= value <= 320:
            ctx = text[max(0, m.start() - 40):m.end() + 20]
            if m.group(0).startswith("at") or re.search(r"tempo|bpm|speed|pace|速度|fast|slow|快|慢|beat", ctx):
                hit = TempoFound(value, "number", m.group(0))
                return hit, [hit]
    words = tempo_words()
    matches = find_phrases(text, keys_tuple(words), tokens)
    hits = [TempoFound(words[m.phrase] if m.phrase in words else words.get(m.phrase.lower(), 100.0), "word", m.phrase)
            for m in matches]
    if len(hits) > 1 and len({_tempo_class(h.bpm) for h in hits}) == 1:
        # same broad class ('fast ... Prestissimo'): the precise Italian term says how fast
        italian = italian_tempo_terms()
        precise = [h for h in hits if h.phrase.lower() in italian]
        if precise:
            return precise[0], hits
    if len(hits) > 1 and len({_tempo_class(h.bpm) for h in hits}) > 1:
        ranked = sorted(zip(hits, matches, strict=True), key=lambda hm: _tempo_word_rank(text, hm[1]))
        return ranked[0][0], hits
    return (hits[0] if hits else None), hits


_CALIBRATED = re.compile(r"moderat|medium|middle|slow|leisurely|balanced|just right|neither|not too|mid|"
                         r"largo|adagio|andante|moderato|allegr|presto|vivace|lento|grave|中速|适中|慢")


def _tempo_class(bpm: float) -> int:
    return 0 if bpm <= 76 else 2 if bpm >= 120 else 1


def _tempo_word_rank(text: str, m) -> tuple[int, int, int]:
    """Which of several conflicting tempo words to believe.

    A word tied to 'tempo/pace/speed' beats one tied to 'beat/rhythm' ('a moderate beat ... at a rapid
    rate'); then calibrated words ('moderate', 'slow', Italian terms) beat energy words that often
    describe rhythm or mood ('upbeat', 'rapid', 'fast-paced'); then the earlier word.
    """
    after = text[m.end:m.end + 30]
    clause_after = re.split(r"[.,;!?]", after, maxsplit=1)[0]
    before = text[max(0, m.start - 40):m.start]
    clause_before = re.split(r"[.,;!?]", before)[-1]
    if re.search(r"\b(?:tempo|pace|speed|rate|paced|bpm)\b", m.phrase) or re.match(r"[\s-]*(?:tempo|pace|speed|rate|bpm|速度)",
                                                                            after):
        tied = 0
    elif re.search(r"(?:tempo|pace|speed)\b[^.,;]{0,20}\b(?:is|was|remains|feels|of)\s+(?:very\s+|quite\s+)?$",
                   before):
        tied = 0
    elif re.search(r"beat|rhythm|groove|performance|节奏", clause_after) or re.search(
            r"(?:beat|rhythm|groove)\b[^.,;]{0,40}$", clause_before):
        tied = 2
    else:
        tied = 1
    calibrated = 0 if _CALIBRATED.search(m.phrase) else 1
    return tied, calibrated, m.start


# ---- key and mode --------------------------------------------------------------------------

_MODE_WORDS = {
    "major pentatonic": "major_pentatonic", "minor pentatonic": "minor_pentatonic", "harmonic minor": "harmonic_minor",
    "natural minor": "minor", "melodic minor": "minor", "pentatonic": "major_pentatonic", "blues scale": "blues",
    "major": "major", "minor": "minor", "maj": "major", "min": "minor", "ionian": "major", "dorian": "dorian",
    "phrygian": "phrygian", "lydian": "lydian", "mixolydian": "mixolydian", "aeolian": "minor", "locrian": "locrian",
}
_ZH_MODE = {"大调": "major", "小调": "minor", "自然小调": "minor", "和声小调": "harmonic_minor", "多利亚": "dorian",
            "多利亚调式": "dorian", "弗里几亚": "phrygian", "利底亚": "lydian", "混合利底亚": "mixolydian",
            "五声音阶": "major_pentatonic", "五声调式": "major_pentatonic", "宫调式": "major_pentatonic",
            "羽调式": "minor_pentatonic", "徵调式": "major_pentatonic", "五声": "major_pentatonic",
            "布鲁斯音阶": "blues"}
_MODE_ALT = "|".join(sorted(_MODE_WORDS, key=len, reverse=True))
_ACC = r"(?:\s?(?:#|♯|♭|-?sharp|-?flat)|b(?![a-z]))?"
_KEY_WITH_MODE = re.compile(
    rf"(?<![A-Za-z0-9'])(?P<l>[A-Ga-g])(?P<acc>{_ACC})\s*-?\s*(?P<mode>{_MODE_ALT})(?![a-z])", re.IGNORECASE)
_KEY_SHORT = re.compile(r"(?<![A-Za-z0-9'])(?P<l>[A-G])(?P<acc>#|♯|b|♭)?(?P<mode>m|maj|min|M)(?![A-Za-z0-9#])")
_MODE_ON_KEY = re.compile(rf"(?P<mode>{_MODE_ALT})\s+(?:mode\s+)?(?:on|in|from)\s+(?P<l>[A-Ga-g])(?P<acc>{_ACC})(?![a-z])",
                          re.IGNORECASE)
_KEY_ALONE = re.compile(
    r"(?:\bin(?: the key of)?|\bkey of|\bkey:?|\bkey\s+(?:is|=|to)|\bmodulate to|转调到|转调|调到|移调到|转到|换到)\s*(?P<l>[A-Ga-g])(?P<acc>\s?(?:#|♯|♭|-?sharp|-?flat)|b)?(?![A-Za-z])",
    re.IGNORECASE)
_ZH_KEY = re.compile(r"(?P<zacc>升|降)?\s*(?P<l>[A-Ga-g])(?P<acc>#|♯|b|♭)?\s*(?P<mode>大调|小调|调|多利亚调式|多利亚|五声调式|宫调式|羽调式)")
_KEY_ACC_ALONE = re.compile(
    r"(?<![A-Za-z0-9'])(?P<l>[A-Ga-g])[\s-](?P<acc>sharp|flat)(?![a-z])|(?<![A-Za-z0-9'])(?P<l2>[A-G])(?P<acc2>#|♯|♭|b)"
    r"(?![A-Za-z0-9#])", re.IGNORECASE)
_ZH_MODE_ALONE = re.compile("|".join(sorted(_ZH_MODE, key=len, reverse=True)))


@dataclass(frozen=True)
class KeyFound:
    tonic_pc: int | None  # None: only a mode was named ("in minor")
    mode: str | None  # None: only a tonic was named ("in D")
    phrase: str
    start: int


def user_spelling(key: KeyFound, mode: str) -> str:
    """The tonic as the user spelled it: "C# major" stays C#, not the enharmonic Db."""
    if key.tonic_pc is None:
        return spell_tonic(0, mode)
    default = spell_tonic(key.tonic_pc, mode)
    if len(default) == 1:
        return default
    if re.search(r"#|♯|sharp|升", key.phrase, re.IGNORECASE):
        return pc_to_name(key.tonic_pc, flats=False)
    if re.search(r"(?<=[a-g])b|♭|flat|降", key.phrase, re.IGNORECASE):
        return pc_to_name(key.tonic_pc, flats=True)
    return default


def _acc_to_str(acc: str | None) -> str:
    a = (acc or "").strip().lower().lstrip("-")
    if a in ("#", "♯", "sharp"):
        return "#"
    if a in ("b", "♭", "flat"):
        return "b"
    return ""


def _pc(letter: str, acc: str | None, zacc: str | None = None) -> int | None:
    try:
        pc = note_name_to_pc(letter.upper() + _acc_to_str(acc))
    except ValueError:
        return None
    if zacc == "升":
        pc = (pc + 1) % 12
    elif zacc == "降":
        pc = (pc - 1) % 12
    return pc


def _article_not_key(raw: str, m: re.Match[str]) -> bool:
    """'a minor key', 'a major change': the article, not the note A."""
    letter = raw[m.start("l"):m.end("l")]
    if letter != "a" or m.group("acc"):
        return False
    before = raw[max(0, m.start() - 12):m.start()].lower()
    after = raw[m.end():m.end() + 14].lower()
    if re.search(r"\b(?:in|key of|key)\s*$", before) and not re.match(r"\s*(key|mode|scale|tonality|feel)", after):
        return False
    return True


def same_length_lower(raw: str) -> str:
    """Lower case that keeps every character offset (a few characters lengthen under str.lower)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in raw)


_GERMAN_H = re.compile(r"\b[Hh](?=[\s-]?(?:major|minor|dur|moll|maj|min)\b|\s?(?:大调|小调))")


def find_keys(raw: str) -> list[KeyFound]:
    """Every key or mode statement, in text order (``raw`` keeps its case)."""
    # German names: H is B natural ("H major", "h-moll"); one letter for one, so positions stay put
    raw = _GERMAN_H.sub("B", raw)
    text = same_length_lower(raw)
    found: list[KeyFound] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _ZH_KEY.finditer(raw):
        pc = _pc(m.group("l"), m.group("acc"), m.group("zacc"))
        mode_word = m.group("mode")
        mode = None if mode_word == "调" else _ZH_MODE.get(mode_word, "major")
        found.append(KeyFound(pc, mode, m.group(0), m.start()))
        taken.append(m.span())
    for pat in (_MODE_ON_KEY, _KEY_WITH_MODE):
        for m in pat.finditer(raw):
            if not free(*m.span()) or (pat is _KEY_WITH_MODE and _article_not_key(raw, m)):
                continue
            mode_word = m.group("mode").lower()
            after = raw[m.end():m.end() + 12].lower()
            mode = _MODE_WORDS[mode_word]
            if mode_word == "pentatonic" and re.search(r"minor", raw[max(0, m.start() - 10):m.end() + 10], re.I):
                mode = "minor_pentatonic"
            if mode_word in ("major", "minor") and re.match(r"\s*pentatonic", after):
                mode = f"{mode_word}_pentatonic"
            found.append(KeyFound(_pc(m.group("l"), m.group("acc")), mode, m.group(0), m.start()))
            taken.append(m.span())
    for m in _KEY_SHORT.finditer(raw):
        if not free(*m.span()):
            continue
        if m.group("mode") == "M" and not m.group("acc"):
            continue
        mode = "minor" if m.group("mode") in ("m", "min") else "major"
        found.append(KeyFound(_pc(m.group("l"), m.group("acc")), mode, m.group(0), m.start()))
        taken.append(m.span())
    for m in _KEY_ALONE.finditer(raw):
        if not free(*m.span()):
            continue
        letter = m.group("l")
        if letter == "a" and not m.group("acc"):
            continue  # 'in a ...' is an article
        if letter.islower() and not re.search(r"key", m.group(0), re.I) and letter not in "cdefg":
            continue
        nxt = raw[m.end():m.end() + 12]
        if re.match(r"\s*(?:minor|major)", nxt, re.I):
            continue
        found.append(KeyFound(_pc(letter, m.group("acc")), None, m.group(0), m.start()))
        taken.append(m.span())
    # a tonic with an accidental and no mode: 'B flat', 'Bb', 'F#', '降B'
    for m in _KEY_ACC_ALONE.finditer(raw):
        if not free(*m.span()):
            continue
        letter, acc = (m.group("l"), m.group("acc")) if m.group("l") else (m.group("l2"), m.group("acc2"))
        found.append(KeyFound(_pc(letter, acc), None, m.group(0), m.start()))
        taken.append(m.span())
    # a mode on its own: 'in minor', 'minor key', '小调', 'pentatonic'
    for m in re.finditer(rf"(?<![a-z])(?P<mode>{_MODE_ALT})(?![a-z])", text):
        if not free(*m.span()):
            continue
        word = m.group("mode")
        after = text[m.end():m.end() + 14]
        before = text[max(0, m.start() - 12):m.start()]
        if word in ("maj", "min"):
            continue
        if word in ("major", "minor") and re.match(r"\s*(?:third|second|sixth|seventh|chord|change|issue|role)", after):
            continue
        if word in ("major", "minor") and re.search(r"\b(?:a|no|not a)\s*$", before) and not re.match(
                r"\s*(?:key|mode|scale|tonality|song|piece|tune|melody|waltz|ballad|theme|feel|vibe|sound)", after):
            continue
        mode = _MODE_WORDS[word]
        if word in ("major", "minor") and re.match(r"\s*pentatonic", after):
            mode = f"{word}_pentatonic"
        if word == "pentatonic" and re.search(r"minor", text[max(0, m.start() - 10):m.start()]):
            mode = "minor_pentatonic"
        negated = re.search(r"(?:\bnot|\bno|n't|\bnever|\binstead of|\brather than)\s+(?:in\s+)?(?:a\s+)?$", before)
        if negated and mode in ("major", "minor"):
            mode = "minor" if mode == "major" else "major"
        found.append(KeyFound(None, mode, m.group(0), m.start()))
        taken.append(m.span())
    for m in _ZH_MODE_ALONE.finditer(raw):
        if not free(*m.span()):
            continue
        before = raw[max(0, m.start() - 3):m.start()]
        mode = _ZH_MODE[m.group(0)]
        if re.search(r"(不要|不是|别|非)$", before) and mode in ("major", "minor"):
            mode = "minor" if mode == "major" else "major"
        found.append(KeyFound(None, mode, m.group(0), m.start()))
        taken.append(m.span())
    found = [k for k in found if k.tonic_pc is not None or k.mode is not None]
    return sorted(found, key=lambda k: k.start)


# ---- meter ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MeterFound:
    time_signature: str
    source: str  # "number", "word", "genre"
    phrase: str


def find_meter(text: str, raw_lower: str, tokens=None) -> tuple[MeterFound | None, list[str]]:
    """Stated meter (numbers or words) else a genre's meter ('waltz' -> 3/4); notes for unsupported ones."""
    notes: list[str] = []
    for m in re.finditer(r"(?<![\d/.:])(\d{1,2})\s*/\s*(\d{1,2})(?![\d/:]|\.\d)", text):
        num, den = int(m.group(1)), int(m.group(2))
        if den not in (2, 4, 8, 16) or num == 0:
            continue
        ts = f"{num}/{den}"
        if ts in SUPPORTED_METERS:
            return MeterFound(ts, "number", m.group(0)), notes
        notes.append(ts)
    words = meter_words()
    hits = find_phrases(raw_lower, keys_tuple(words), tokens)
    if hits:
        return MeterFound(words[hits[0].phrase], "word", hits[0].phrase), notes
    genre = genre_meter_words()
    hits = find_phrases(raw_lower, keys_tuple(genre), tokens)
    if hits:
        return MeterFound(genre[hits[0].phrase], "genre", hits[0].phrase), notes
    return None, notes


# ---- length --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LengthFound:
    bars: int | None
    seconds: float | None
    phrase: str


_RANGE = r"(\d+(?:\.\d+)?)(?:\s*(?:~|-|–|to|至|到)\s*(\d+(?:\.\d+)?))?"
_BARS = re.compile(rf"{_RANGE}\s*(?:-\s*)?(?:bars?|measures?|个?小节|节|bar-long|measure-long)")
_SECONDS = re.compile(rf"{_RANGE}\s*(?:-\s*)?(?:seconds?|secs?|s(?![a-z])|秒钟|秒)")
_MINUTES = re.compile(rf"(?:{_RANGE}|(?<![\w])an?()())\s*(?:-\s*)?(?:minutes?(?![a-z])|mins?(?![a-z])|分钟|分(?!之))")
_HOURS = re.compile(rf"{_RANGE}\s*(?:-\s*)?(?:hours?|hrs?|小时)")
_HALF_MINUTES = re.compile(r"(\d+)()\s*and a half\s*(?:-\s*)?(?:minutes?|mins?)")
_CLOCK = re.compile(r"(?<![\d:])(\d{1,2}):([0-5]\d)(?![\d:])")


def _mid(m: re.Match[str], text: str) -> float:
    if not m.group(1):  # "a minute"
        return 1.0
    lo = float(m.group(1))
    hi = float(m.group(2)) if m.group(2) else lo
    before = text[max(0, m.start() - 12):m.start()]
    if re.search(r"(?:over|more than|at least|超过|多于)\s*$", before):
        return lo * 1.15
    if re.search(r"(?:under|less than|at most|within|不到|少于)\s*$", before):
        return lo * 0.85
    return hi if m.group(2) and "bar" in m.group(0) else (lo + hi) / 2


def _is_decade(m: re.Match[str], text: str) -> bool:
    """"1980s", "the 80s", "'70s funk": a decade, not a number of seconds ("a 30s jingle" stays seconds)."""
    word = m.group(0)
    if re.fullmatch(r"(?:808|909|303|707)s", word):
        return True  # drum machines: "trap with 808s" is not 808 seconds
    if not re.fullmatch(r"\d+0s", word):
        return False
    if re.fullmatch(r"1[0-9]\d0s|20\d0s", word):
        return True
    before = text[:m.start()]
    return bool(re.search(r"(?:the|of the|from the|'|’)\s*$", before)) or word in ("50s", "60s", "70s", "80s", "90s")


def find_length(text: str) -> LengthFound | None:
    """Bars if stated, else a duration in seconds ('a minute', '40秒', '1:30')."""
    m = _BARS.search(text)
    if m:
        bars = _mid(m, text)
        return LengthFound(int(round(bars)), None, m.group(0))
    seconds = None
    phrase = ""
    m_hours = _HOURS.search(text)
    if m_hours:  # "a 3 hour symphony": far past the limit, and the reply says so
        return LengthFound(None, _mid(m_hours, text) * 3600.0, m_hours.group(0))
    m = _HALF_MINUTES.search(text) or _MINUTES.search(text)
    if m:
        seconds, phrase = _mid(m, text) * 60.0, m.group(0)
        if m.re is _HALF_MINUTES or re.match(r"\s*(?:钟)?半|\s*and a half\b", text[m.end():]):
            seconds += 30.0  # '2 and a half minutes', '一分半钟', '1 minute and a half'
    m2 = _SECONDS.search(text)
    if m2 and _is_decade(m2, text):
        m2 = None  # "the 80s", "80s synthpop", "1920s ragtime" are decades
    if m2 and not re.search(r"\d+\s*(?:second|2nd)\s+(?:version|take|one)", m2.group(0)):
        secs = _mid(m2, text)
        if seconds is not None and m is not None and m2.start() >= m.end():
            seconds += secs  # '1 minute 30 seconds'
        elif seconds is None:
            seconds, phrase = secs, m2.group(0)
    m3 = _CLOCK.search(text)
    if seconds is None and m3 and re.search(r"long|length|duration|时长|长", text):
        seconds, phrase = int(m3.group(1)) * 60 + int(m3.group(2)), m3.group(0)
    if seconds is None:
        m4 = re.search(r"\b(half a minute|a minute and a half|a minute|an hour|half an hour|a couple of minutes|"
                       r"a few minutes)\b|半分钟|一分钟|一分半|两分钟|半小时|一小时", text)
        if m4:
            table = {"half a minute": 30, "a minute and a half": 90, "a minute": 60, "an hour": 3600,
                     "half an hour": 1800, "a couple of minutes": 120, "a few minutes": 180, "半分钟": 30,
                     "一分钟": 60, "一分半": 90, "两分钟": 120, "半小时": 1800, "一小时": 3600}
            seconds, phrase = float(table[m4.group(0)]), m4.group(0)
    if seconds is None:
        return None
    return LengthFound(None, seconds, phrase)


def seconds_to_bars(seconds: float, bpm: float, beats_per_bar: float) -> int:
    """How many whole bars fill ``seconds`` at ``bpm`` (at least one)."""
    return max(1, int(round(seconds * bpm / 60.0 / max(beats_per_bar, 0.5))))


# ---- drums and seed ----------------------------------------------------------------------

_NO_DRUMS = re.compile(
    r"\b(?:no|without|minus|remove|drop|lose|kill|mute|cut|take out|get rid of|skip|zero|don't want|do not want|"
    r"without any|no more)\s+(?:the\s+|any\s+)?(?:drums?|drum kit|percussion|beat|beats)\b|\bdrums?\s*(?:off|out)\b|"
    r"\bunaccompanied\b|\ba cappella\b|不要鼓|去掉鼓|不加鼓|没有鼓|无鼓|别加鼓|去掉打击乐|不要打击乐|拿掉鼓|删掉鼓|取消鼓|去鼓|不用鼓")
_DRUMS_ONLY = re.compile(r"\b(?:drums?|percussion|beat)\s+only\b|\bonly\s+(?:the\s+)?drums?\b|\bjust\s+(?:the\s+)?drums\b|"
                         r"\bsolo drums?\b|\bdrum solo\b|只要鼓|只有鼓|纯鼓|鼓独奏")


_BEAT = re.compile(r"\b(?:hip[- ]?hop|trap|boom[- ]?bap|house|techno|dance|edm|club|breakbeat|drum)\s+beats?\b|"
                   r"\b(?:a|the|my)\s+beats?\b(?!\s+(?:is|that|of|in|per))|"
                   r"\b(?:lo-?fi|chill(?:hop)?|jazzy|funky|groovy|reggae|dubstep|afro|drill|grime|disco|funk|soul|"
                   r"r&b|rnb|pop|rock|latin|electronic|synthwave|study|gaming)\s+beats?\b")  # "a calm lo-fi beat"


def find_drums(text: str, drum_mentioned: bool) -> tuple[bool | None, bool]:
    """(drums on/off or None when unstated, drums-only). 'a hip hop beat' means drums."""
    if _BEAT.search(text):
        drum_mentioned = True
    if _DRUMS_ONLY.search(text):
        return True, True
    if _NO_DRUMS.search(text):
        return False, False
    if drum_mentioned:
        return True, False
    return None, False


def find_seed(text: str) -> int | None:
    m = re.search(r"\b(?:seed|随机种子|种子)\s*(?:=|:|：|is|of|为)?\s*(\d{1,9})", text)
    return int(m.group(1)) if m else None


_CHORD_CONTEXT = re.compile(r"\b(?:chords?|progression|changes)\b|和弦", re.IGNORECASE)
_CHORD_SYMBOL = re.compile(
    r"(?<![A-Za-z0-9#])(?P<l>[A-G])(?P<acc>#|♯|b|♭)?(?P<q>maj9|maj7|m7b5|min7|m7|m9|m6|min|dim7|dim|aug|sus2|sus4|"
    r"add9|maj|m|7|9|6|5)?(?:/[A-G](?:#|b)?)?(?![A-Za-z0-9#])")
_SYMBOL_QUALITY = {"": "maj", "maj": "maj", "m": "min", "min": "min", "7": "7", "maj7": "maj7", "m7": "min7",
                   "min7": "min7", "m7b5": "m7b5", "dim": "dim", "dim7": "dim7", "aug": "aug", "sus2": "sus2",
                   "sus4": "sus4", "6": "6", "m6": "min6", "9": "9", "maj9": "maj9", "m9": "min9", "add9": "add9",
                   "5": "5"}


def find_chord_progression(raw: str) -> list[tuple[int, str]]:
    """Chord symbols in a sentence that talks about chords ('the chords E, A, D, E7, A', 'a B/A, E, B chord
    sequence'), as (root pc, quality); the first such sentence with two or more symbols counts.

    A bare capital 'A' followed by an ordinary word is the article, not the chord.
    """
    for m in _CHORD_CONTEXT.finditer(raw):
        lo = max(raw.rfind(ch, 0, m.start()) for ch in ".;!?\n") + 1
        hi = min((i for i in (raw.find(ch, m.end()) for ch in ".;!?\n") if i >= 0), default=len(raw))
        sentence = raw[lo:hi]
        out = []
        for c in _CHORD_SYMBOL.finditer(sentence):
            bare_a = c.group(0) == "A" and re.match(r"\s+(?!and\b|or\b|to\b|then\b)[a-z]", sentence[c.end():])
            if re.match(r"\s*-?\s*(?:major|minor)\b|\s*(?:大调|小调)", sentence[c.end():], re.IGNORECASE):
                continue  # "in G major" names the key, not a chord of the progression
            pc = _pc(c.group("l"), c.group("acc"))
            if pc is not None and not bare_a:
                out.append((pc, _SYMBOL_QUALITY[c.group("q") or ""]))
        if len(out) >= 2:
            return out
    return []
