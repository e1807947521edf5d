"""Instruments named in a request, and the roles they take in the ensemble.

Every General MIDI program name is understood, plus English and Chinese
synonyms and instruments without a GM patch (erhu, pipa, kazoo), which map to
the closest program with a note that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.lexicon import ensemble_table, find_phrases, instrument_table, keys_tuple, load_prompt
from music.gm import GM_PROGRAMS
from music.spec import InstrumentSpec

BASS_PROGRAMS = frozenset(range(32, 40)) | {42, 43, 58, 70}
CHORD_PROGRAMS = frozenset(range(0, 8)) | frozenset(range(16, 22)) | frozenset(range(24, 29)) | {46, 105, 107, 15}
PAD_PROGRAMS = frozenset(range(48, 56)) | frozenset(range(88, 96)) | {44, 49, 50, 51}


@dataclass(frozen=True)
class NamedInstrument:
    """One instrument mention: GM program, the user's word, and whether it is a substitute."""

    program: int
    word: str
    substitute: bool
    start: int
    role: str | None = None  # set by ensembles ('string quartet') or by 'on bass', 'playing chords'


@dataclass(frozen=True)
class InstrumentsFound:
    named: tuple[NamedInstrument, ...]
    excluded: tuple[NamedInstrument, ...]  # 'no piano', 'without strings'
    drum_mentioned: bool
    style_hint: str | None  # 'chinese' when 二胡/guzheng are named, 'celtic' for tin whistle...


@lru_cache(maxsize=1)
def _vocab() -> tuple[str, ...]:
    words = set(instrument_table()) | set(ensemble_table())
    d = load_prompt("instruments.json")
    words |= set(d["drum_words_en"]) | set(d["drum_words_zh"])
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _drum_words() -> frozenset[str]:
    d = load_prompt("instruments.json")
    return frozenset(d["drum_words_en"]) | frozenset(d["drum_words_zh"])


_NEG_BEFORE = re.compile(
    r"(?:\bno|\bwithout|\bminus|\bexcept|\bexcluding|\bnot|\bremove|\bdrop|\blose|n't want|\bnot want|\bavoid|\bskip|"
    r"不要|去掉|别用|不用|没有|不含|除了|拿掉|删掉|删除|不加|别加)"
    r"(?:\s+(?:the|any|a|an|more|of))*\s*$")
_NOT_AN_INSTRUMENT_AFTER = re.compile(r"\s*(?:line|part|player|solo)?\s*(?:of|like)\b")


def _negated(text: str, start: int) -> bool:
    before = text[max(0, start - 30):start]
    if not _NEG_BEFORE.search(before):
        return False
    sentence_end = re.search(r"[.!?。！？]", text[start:])
    rest = text[start:start + (sentence_end.start() if sentence_end else 200)]
    return not re.search(r"\bwould\b|\bcould not\b|\bwouldn't\b", rest)  # 'without the piano ... it would lack'


_GENERIC_SENTENCE = re.compile(r"^\s*whether\b|\bwhether (?:it|it's|it is)\b|\beach instrument\b|"
                               r"\bfrom the \w+ of (?:the|a) \w+ to\b|\bsuch as\b.*\bor\b.*\bcan\b")


def _generic_spans(text: str) -> list[tuple[int, int]]:
    """Sentences that talk about instruments in general ('whether it's the beat of the drums or the
    melody of the guitar, each instrument ...'), not about this piece."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?。！？]+|$", text):
        sentence = text[start:m.start()]
        if _GENERIC_SENTENCE.search(sentence):
            spans.append((start, m.start()))
        start = m.end()
        if m.start() >= len(text):
            break
    return spans


def find_instruments(text: str, tokens=None) -> InstrumentsFound:
    """All instrument mentions in order (lower-cased ``text``; ``tokens`` are jieba tokens of it)."""
    table = instrument_table()
    ensembles = ensemble_table()
    drum_words = _drum_words()
    d = load_prompt("instruments.json")
    named: list[NamedInstrument] = []
    excluded: list[NamedInstrument] = []
    drum_mentioned = False
    hint = None
    generic = _generic_spans(text)
    for m in find_phrases(text, _vocab(), tokens):
        word = m.phrase
        if any(a <= m.start < b for a, b in generic):
            continue
        if word in ("bass", "pad", "keys", "horn") and re.match(r"\s*(?:line|note|notes|register|clef|drum)", text[m.end:]):
            if not re.match(r"\s*line", text[m.end:]):
                continue
        if word in ("pipe", "pipes") and re.match(r"\s*(?:organ|dream)", text[m.end:]):
            continue
        if word == "voice" and re.match(r"\s*(?:leading|of|memo)", text[m.end:]):
            continue
        negated = _negated(text, m.start)
        if word in drum_words:
            if not negated:
                drum_mentioned = True
            continue
        if word in ("piano trio", "钢琴三重奏") and re.search(r"jazz|swing|bebop|爵士", text):
            word = "jazz trio"  # piano, bass and drums, not the classical piano, violin and cello
        if word in ensembles:
            extra = d["ensemble_extras"].get(word, {})
            drum_mentioned = drum_mentioned or (extra.get("drums", False) and not negated)
            hint = hint or extra.get("style")
            for prog, role in ensembles[word]:
                item = NamedInstrument(prog, word, False, m.start, role)
                (excluded if negated else named).append(item)
            continue
        prog, sub, label = table[word]
        if word in d["chinese_instruments"]:
            hint = hint or "chinese"
        elif word in d["celtic_instruments"]:
            hint = hint or "celtic"
        elif word in d["country_instruments"]:
            hint = hint or "country"
        role = None
        after = text[m.end:m.end + 24]
        if re.match(r"\s*(?:on|playing|for)?\s*(?:the\s+)?(?:chords|accompaniment|comping|伴奏|和弦)", after):
            role = "chords"
        elif re.match(r"\s*(?:on|playing)\s+(?:the\s+)?(?:melody|lead|tune|主旋律|旋律)", after):
            role = "melody"
        item = NamedInstrument(prog, label if sub else word, sub, m.start, role)
        (excluded if negated else named).append(item)
    return InstrumentsFound(tuple(named), tuple(excluded), drum_mentioned, hint)


def default_role(program: int, index: int, have_melody: bool) -> str:
    """Role for a named instrument: the first melodic one leads, basses take bass, keys/guitar/harp chords."""
    if program in BASS_PROGRAMS and (have_melody or index > 0):
        return "bass"
    if not have_melody:
        return "melody"
    if program in CHORD_PROGRAMS:
        return "chords"
    if program in PAD_PROGRAMS:
        return "pad"
    return "counter"


def _guest_leads(named: tuple[NamedInstrument, ...]) -> tuple[NamedInstrument, ...]:
    """"A jazz trio with saxophone": the sax named beside an ensemble sings; the ensemble's lead accompanies."""
    ensemble_words = {n.word for n in named if n.role is not None and sum(m.word == n.word for m in named) > 1}
    guest = next((n for n in named if n.role is None and n.word not in ensemble_words
                  and n.program not in BASS_PROGRAMS | CHORD_PROGRAMS | PAD_PROGRAMS), None)
    if guest is None or not ensemble_words:
        return named
    def demoted(n: NamedInstrument) -> NamedInstrument:
        if n.word in ensemble_words and n.role == "melody":
            return replace(n, role="chords" if n.program in CHORD_PROGRAMS else "counter")
        return replace(n, role="melody") if n is guest else n
    return tuple(demoted(n) for n in named)


def assign_roles(named: tuple[NamedInstrument, ...]) -> list[InstrumentSpec]:
    """The ensemble for the named instruments (duplicates of the same word dropped)."""
    out: list[InstrumentSpec] = []
    seen: set[tuple[int, str]] = set()
    named = _guest_leads(named)
    explicit_melody = any(n.role == "melody" for n in named)
    have_melody = False
    ordered = sorted(named, key=lambda n: (n.role != "melody", n.start)) if explicit_melody else list(named)
    lead = next((n for n in ordered if n.program not in BASS_PROGRAMS), None)
    singer = next((n for n in ordered if n.program not in BASS_PROGRAMS | CHORD_PROGRAMS | PAD_PROGRAMS), None)
    if not explicit_melody and singer is not None and ordered[0].program in CHORD_PROGRAMS:
        lead = singer  # "piano and violin": the violin sings, the piano accompanies
    if not explicit_melody and lead is not None and ordered[0] is not lead and (
            ordered[0].program in BASS_PROGRAMS or lead is singer):
        ordered = [lead] + [n for n in ordered if n is not lead]  # "bass and piano": the piano leads, the bass is bass
    for i, n in enumerate(ordered):
        key = (n.program, n.word)
        if key in seen and n.role is None:
            continue
        seen.add(key)
        role = n.role or default_role(n.program, i, have_melody)
        if role == "melody" and have_melody:
            role = default_role(n.program, i, True)
        have_melody = have_melody or role == "melody"
        out.append(InstrumentSpec(GM_PROGRAMS[n.program], n.program, role))
    if out and not have_melody:
        first = out[0]
        out[0] = InstrumentSpec(first.name, first.program, "melody")
    return out


def substitution_note(n: NamedInstrument, lang: str) -> str:
    """The reply line for an instrument with no General MIDI patch."""
    gm = GM_PROGRAMS[n.program]
    if lang == "zh":
        zh = load_prompt("instruments.json").get("gm_zh", [])
        name = zh[n.program] if n.program < len(zh) else gm
        return f"{n.word}没有通用MIDI音色，改用{name}（{gm}，音色 {n.program}）"
    return f"{n.word} has no General MIDI patch; using {gm} (program {n.program}) instead"


def style_instruments(style: dict) -> list[InstrumentSpec]:
    """The default ensemble from a style entry of ``prompts/styles.json``."""
    return [InstrumentSpec(GM_PROGRAMS[int(p)], int(p), r) for p, r in style.get("instruments", [])]


def instrument_words() -> tuple[str, ...]:
    """Every instrument phrase (used by the edit parser to find 'use a violin instead')."""
    return keys_tuple(instrument_table())
