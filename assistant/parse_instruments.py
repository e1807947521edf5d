"""Instruments named in a request, and the roles they take in the ensemble.

Every General MIDI program name is understood, plus English and Chinese
synonyms and instruments without a GM patch (erhu, pipa, kazoo), which map to
the closest program with a note that says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from assistant.lexicon import (
    ensemble_table,
    find_phrases,
    instrument_table,
    keys_tuple,
    load_prompt,
    style_table,
)
from music.gm import GM_PROGRAMS
from music.spec import InstrumentSpec

BASS_PROGRAMS = frozenset(range(32, 40)) | {42, 43, 58, 70}
CHORD_PROGRAMS = frozenset(range(0, 8)) | frozenset(range(16, 22)) | frozenset(range(24, 29)) | {46, 105, 107, 15}
PAD_PROGRAMS = frozenset(range(48, 56)) | frozenset(range(88, 96)) | {44, 49, 50, 51}
SECTION_PADS = frozenset(range(48, 56)) | frozenset(range(88, 96))  # string sections, choirs, synth pads
UNPITCHED_PROGRAMS = frozenset(range(112, 120)) | {47}  # drums with a pitch: they never carry the tune when others can


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
    excluded: tuple[NamedInstrument, ...]  # 'no piano', 'without strings'; a plain word brings its whole family
    drum_mentioned: bool
    style_hint: str | None  # 'chinese' when 二胡/guzheng are named, 'celtic' for tin whistle...
    drums_negated: bool = False  # 'don't use drums', 'I hate drums', '不要鼓'
    negated_spans: tuple[tuple[int, int], ...] = ()  # 'no piano': cue to word, hidden from the mood and style guesses
    kit_genre: bool = False  # 'funk', 'hip hop', '摇滚': a genre whose beat is part of it, so a list keeps the kit
    kit_stand_ins: tuple[str, ...] = ()  # 'bodhran', 'congas', '锣': percussion the drum kit plays for them


@lru_cache(maxsize=1)
def _vocab() -> tuple[str, ...]:
    words = set(instrument_table()) | set(ensemble_table()) | _kit_words()
    d = load_prompt("instruments.json")
    words |= set(d["drum_words_en"]) | set(d["drum_words_zh"])
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _kit_words() -> frozenset[str]:
    """Genres whose beat is in the name ('disco', 'samba'): a kit even beside a list of instruments."""
    d = load_prompt("instruments.json")
    return frozenset(d["kit_words_en"]) | frozenset(d["kit_words_zh"])


@lru_cache(maxsize=1)
def _drum_words() -> frozenset[str]:
    d = load_prompt("instruments.json")
    return frozenset(d["drum_words_en"]) | frozenset(d["drum_words_zh"])


_NEG_FILLER_EN = r"(?:\s+(?:the|any|a|an|more|of|my|some|those|these|extra|using|with|to use))*"
_NEG_FILLER_ZH = r"(?:用|加|放|任何|有|那个|这个)*"
_NEG_AFTER_ZH = re.compile(r"(?:就|也|都|给)?(?:不要|别要|别用|不用|去掉|拿掉|删掉|撤掉|拿走|算了|免了|去了|删了|撤了|砍了|"
                           r"去|删)(?:了|啦|吧)?\s*(?:[，。,.!！?？;；]|$)")  # '钢琴不要', '把鼓去了', '鼓别要了'
_EXCEPT_KEEPS = re.compile(r"都(?:不要|去掉|删掉|拿掉|删|别|不用)|^[^，。,]*?(?:还|也|再)(?:要|加|有|用|来)")
_LEAVE_BEFORE = re.compile(r"\b(?:leave|take|keep|cut)(?:\s+(?:the|any|all|my))*\s*$")
_NOT_AN_INSTRUMENT_AFTER = re.compile(r"\s*(?:line|part|player|solo)?\s*(?:of|like)\b")


@lru_cache(maxsize=1)
def _neg_before() -> re.Pattern[str]:
    """A negation cue ('no', "don't use", 'anything but', '别用') right before an instrument, fillers allowed."""
    d = load_prompt("instruments.json")
    en = sorted(d["negation_en"], key=len, reverse=True)
    zh = sorted(d["negation_zh"], key=len, reverse=True)
    en_alt = "|".join(("" if w.startswith("n't") else r"(?<![a-z])") + re.escape(w) for w in en)
    zh_alt = "|".join(re.escape(w) for w in zh)
    return re.compile(rf"(?:{en_alt})\b{_NEG_FILLER_EN}\s*$|(?:{zh_alt}){_NEG_FILLER_ZH}\s*$")


def _negation_start(text: str, start: int, end: int) -> int | None:
    """Where the cue that negates the word at ``start:end`` begins, or None when it is not negated.

    'no piano', "don't add drums", 'I hate drums', 'leave the bass out', '钢琴不要';
    'without the piano ... it would lack' talks about a piece, it does not ask for one.
    """
    window = max(0, start - 40)
    before = text[window:start]
    cue = _neg_before().search(before)
    if cue is None and _LEAVE_BEFORE.search(before) and re.match(r"\s+out\b", text[end:]):
        cue = _LEAVE_BEFORE.search(before)
    if cue is None and _NEG_AFTER_ZH.match(text[end:]) and "除了" not in re.split(r"[。！？.!?]", before)[-1]:
        return start  # '钢琴不要', '鼓就算了'; in '除了钢琴和小提琴都不要' both are kept
    if cue is None:
        return None
    sentence_end = re.search(r"[.!?。！？]", text[start:])
    rest = text[start:start + (sentence_end.start() if sentence_end else 200)]
    if re.search(r"\bwould\b|\bcould not\b|\bwouldn't\b", rest):
        return None
    if cue.group(0).startswith("除了") and _EXCEPT_KEEPS.search(rest):
        return None  # '除了钢琴都不要' keeps the piano; '除了钢琴还要小提琴' adds to it
    return window + cue.start()


_LIST_JOIN = re.compile(r"\s*,?\s*(?:or|nor|and(?!\s+(?:a|an|with)\b)|&|/)\s*(?:the\s+|any\s+)?|\s*(?:、|和|或|或者|及|与|跟|也不要)\s*")


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


@dataclass
class _Reading:
    """What the scan over the mentions has found so far."""

    named: list[NamedInstrument] = field(default_factory=list)
    excluded: list[NamedInstrument] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    drum_mentioned: bool = False
    drums_negated: bool = False
    kit_genre: bool = False
    kit_stand_ins: list[str] = field(default_factory=list)
    hint: str | None = None
    negated_end: int | None = None  # where the last negated word ended: 'no piano or drums' negates both


def _skip_word(text: str, word: str, start: int, end: int) -> bool:
    """Uses of an instrument word that name no instrument: 'bass line' stays, 'bass clef', 'pipe organ' (the
    organ is read), 'voice leading', 'island vibes' (a mood, not a vibraphone)."""
    after = text[end:]
    if word in ("bass", "pad", "keys", "horn") and re.match(r"\s*(?:line|note|notes|register|clef|drum)", after):
        return not re.match(r"\s*line", after)
    if word in ("pipe", "pipes") and re.match(r"\s*(?:organ|dream)", after):
        return True
    if word == "voice" and re.match(r"\s*(?:leading|of|memo)", after):
        return True
    not_before = load_prompt("instruments.json")["kit_words_not_before"].get(word)
    if not_before and re.match(r"\s*(?:" + "|".join(map(re.escape, not_before)) + r")\b", after):
        return True  # 'rock-a-bye', 'rock me gently': a lullaby, not a rock band
    rule = load_prompt("instruments.json")["only_as_instrument"].get(word)
    if rule is None:
        return False
    before = re.search(r"([a-z]+|[&,])\s*$", text[:start])
    follows = re.match(r"\s*([a-z]+)", after)
    return not ((before is None or before.group(1) in rule["after"])
                or (follows is not None and follows.group(1) in rule["before"]))


def _in_list_with_negated(text: str, r: _Reading, start: int) -> bool:
    """'no piano or drums', '不要钢琴和鼓': a word joined to a negated one is negated too."""
    return r.negated_end is not None and _LIST_JOIN.fullmatch(text[r.negated_end:start]) is not None


def _contextual_program(text: str, word: str, program: int) -> int:
    """A plain word whose sound depends on the piece: an organ in a solemn, church or funeral piece is a church organ."""
    rule = load_prompt("instruments.json")["context_programs"].get(word)
    if rule is None:
        return program
    cues = "|".join(re.escape(c) for c in rule["cues"])
    return int(rule["program"]) if re.search(rf"(?<![a-z])(?:{cues})(?![a-z])", text) else program


def _family_exclusions(item: NamedInstrument) -> list[NamedInstrument]:
    """'no guitar' excludes every guitar, the style's overdriven one too; a specific word only itself."""
    family = family_programs(item.word)
    return [item] + [replace(item, program=p) for p in sorted(family) if p != item.program]


def _read_mention(text: str, r: _Reading, word: str, start: int, end: int, negated: bool) -> None:
    """Add one instrument mention (a drum word, an ensemble or one instrument) to the reading."""
    d = load_prompt("instruments.json")
    if word in _drum_words():
        r.drums_negated = r.drums_negated or negated
        r.drum_mentioned = r.drum_mentioned or not negated
        if not negated and word in d["kit_stand_ins"] and word not in r.kit_stand_ins:
            r.kit_stand_ins.append(word)
        return
    if word in _kit_words():  # 'no disco' is not 'no drums', and 'a rock song, no drums' has none
        r.kit_genre = r.kit_genre or not negated
        return
    if word in ("piano trio", "钢琴三重奏") and re.search(r"jazz|swing|bebop|爵士", text):
        word = "jazz trio"  # piano, bass and drums, not the classical piano, violin and cello
    ensembles = ensemble_table()
    if word in ensembles:
        extra = d["ensemble_extras"].get(word, {})
        if not negated:
            r.drum_mentioned = r.drum_mentioned or extra.get("drums", False)
            r.hint = r.hint or extra.get("style")
        for prog, role in ensembles[word]:
            (r.excluded if negated else r.named).append(NamedInstrument(prog, word, False, start, role))
        return
    prog, sub, label = instrument_table()[word]
    if not negated:
        for key, style in (("chinese_instruments", "chinese"), ("celtic_instruments", "celtic"),
                           ("country_instruments", "country")):
            if word in d[key]:
                r.hint = r.hint or style
                break
    role = None
    after = text[end:end + 24]
    if re.match(r"\s*(?:on|playing|for)?\s*(?:the\s+)?(?:chords|accompaniment|comping|伴奏|和弦)", after):
        role = "chords"
    elif re.match(r"\s*(?:(?:on|playing)\s+(?:the\s+)?)?(?:melody|lead|tune|主旋律|旋律)(?![a-z])", after):
        role = "melody"
    item = NamedInstrument(_contextual_program(text, word, prog), label if sub else word, sub, start, role)
    if negated:
        r.excluded.extend(_family_exclusions(item))
    else:
        r.named.append(item)


def find_instruments(text: str, tokens=None) -> InstrumentsFound:
    """All instrument mentions in order (lower-cased ``text``; ``tokens`` are jieba tokens of it)."""
    r = _Reading()
    generic = _generic_spans(text)
    mentions = [m for m in find_phrases(text, _vocab(), tokens)
                if not any(a <= m.start < b for a, b in generic) and not _skip_word(text, m.phrase, m.start, m.end)]
    pitched_percussion = _pitched_percussion(text, mentions)
    for m in mentions:
        if m.start in pitched_percussion:
            r.named.append(pitched_percussion[m.start])  # a caption's 'piano, percussion and guitar'
            continue
        cue = _negation_start(text, m.start, m.end)
        if cue is None and _in_list_with_negated(text, r, m.start):
            cue = r.negated_end
        if cue is not None:
            r.spans.append((cue, m.end))
            r.negated_end = m.end
        _read_mention(text, r, m.phrase, m.start, m.end, cue is not None)
    return InstrumentsFound(_without_implied_bands(r.named), tuple(r.excluded), r.drum_mentioned, r.hint,
                            r.drums_negated, tuple(r.spans), r.kit_genre, tuple(r.kit_stand_ins))


def _without_implied_bands(named: list[NamedInstrument]) -> tuple[NamedInstrument, ...]:
    """A genre's implied band ('synthwave': lead, pad, synth bass) gives way to instruments of that family the
    user names ('synthwave, saw lead, synth bass' is those two)."""
    extras = load_prompt("instruments.json")["ensemble_extras"]
    d = load_prompt("instruments.json")["families"]
    def yields(n: NamedInstrument) -> bool:
        family = extras.get(n.word, {}).get("unless_family")
        return family is not None and any(m.word != n.word and m.program in d[family] for m in named)
    return tuple(n for n in named if not yields(n))


_LIST_GAP = re.compile(r"\s*(?:,|，|、)\s*(?:and\s+|&\s+)?(?:the\s+|an?\s+)?|\s+(?:and|&)\s+(?:the\s+|an?\s+)?|"
                       r"\s*(?:和|以及|及|与)\s*")


def _long_list_members(text: str, mentions: list) -> set[int]:
    """Starts of the mentions that sit in a list of three or more ('nylon guitar, piano, bass and percussion')."""
    out: set[int] = set()
    group = mentions[:1]
    for prev, m in zip(mentions, mentions[1:], strict=False):
        if _LIST_GAP.fullmatch(text[prev.end:m.start]) is None:
            if len(group) >= 3:
                out |= {g.start for g in group}
            group = []
        group.append(m)
    if len(group) >= 3:
        out |= {g.start for g in group}
    return out


def _pitched_percussion(text: str, mentions: list) -> dict[int, NamedInstrument]:
    """'Percussion' that is a part of its own, not the kit: one item of a long list of instruments, or
    named beside the drums ('percussion and drum'). Keyed by where the word starts."""
    table = load_prompt("instruments.json")["in_a_list"]
    drums_too = any(m.phrase in _drum_words() and m.phrase not in table for m in mentions)
    listed = _long_list_members(text, mentions)
    return {m.start: NamedInstrument(int(table[m.phrase]), m.phrase, False, m.start) for m in mentions
            if m.phrase in table and (drums_too or m.start in listed)}


def family_programs(word: str) -> frozenset[int]:
    """Every GM program a plain word stands for ('guitar': all eight guitars), empty for a specific word."""
    d = load_prompt("instruments.json")
    family = d["family_words"].get(word.lower())
    return frozenset(int(p) for p in d["families"][family]) if family else frozenset()


def mask_negated(text: str, found: InstrumentsFound) -> str:
    """``text`` with each negated mention blanked (same length): 'I hate drums' is no angry mood, and
    'sad violin, no piano' is not a piano piece to the style guess."""
    out = text
    for a, b in found.negated_spans:
        out = out[:a] + " " * (b - a) + out[b:]
    return out


def listed_band(found: InstrumentsFound, style: str | None = None) -> bool:
    """Two or more instruments listed and no genre that brings a rhythm section: the list is the whole band
    ('a waltz for a flute and a clarinet', 'strings and oboe', 'a victory theme with brass and drums'), so the
    arranger adds no piano, guitar or bass nobody asked for. ``style``: the style the message names, if any;
    a band genre ('a folk song with guitar and drums', 'funk with slap bass and horns') may add its band,
    a style in ``styles_without_band`` (waltz, classical, lullaby...) may not."""
    listed = len({n.program for n in found.named}) + found.drum_mentioned >= 2
    bandless = style is None or style in load_prompt("instruments.json")["styles_without_band"]
    return listed and bandless and not found.kit_genre


def kit_notes(found: InstrumentsFound, lang: str) -> list[str]:
    """'a jig on fiddle and bodhran': the bodhran (congas, castanets, 锣...) has no part of its own, the kit
    plays the percussion, and the reply says so."""
    return [kit_note(word, lang) for word in found.kit_stand_ins]


def kit_note(word: str, lang: str, already: bool = False) -> str:
    """The reply line for percussion the drum kit plays ('already': the kit was there, nothing was added)."""
    return instrument_note("kit_already" if already else "kit_plays", lang, part=word)


def drum_request(found: InstrumentsFound, stated: tuple[bool | None, bool]) -> tuple[bool | None, bool]:
    """``find_drums``' (drums, drums-only) corrected by the instrument reading.

    "Don't use drums" turns them off, and "guitar and drums only" keeps the guitar: only a message
    that names nothing but drums is drums-only. A genre whose beat is part of it keeps its kit beside a
    list of instruments (with one instrument the style's own default decides, and a solo has none).
    """
    drums, only = stated
    if found.drums_negated and not found.drum_mentioned:
        return False, False
    if only and found.named:
        return True, False
    if drums is None and found.kit_genre and len({n.program for n in found.named}) >= 2:
        return True, False  # 'funk with slap bass and horns': the list is not the whole band, funk has a kit
    return drums, only


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


def _one_part_each(named: tuple[NamedInstrument, ...]) -> tuple[NamedInstrument, ...]:
    """One part per instrument unless a number says otherwise ('two violins' is added later): an orchestra
    that 'features flute and strings' keeps one flute and one string section, the named ones; an ensemble's
    own doubling (a quartet's two violins) stays."""
    ensembles = ensemble_table()
    plain: list[NamedInstrument] = []
    for n in named:
        if n.word not in ensembles and all(p.program != n.program for p in plain):
            plain.append(n)
    dropped: set[int] = set()
    for p in plain:
        twin = next((i for i, n in enumerate(named) if n.word in ensembles and n.program == p.program
                     and i not in dropped), None)
        if twin is not None:
            dropped.add(twin)
    return tuple(n for i, n in enumerate(named) if (n in plain or n.word in ensembles) and i not in dropped)


LOW_SINGERS = frozenset({42, 57, 70})  # cello, trombone, bassoon: bass-register instruments that can lead


def assign_roles(named: tuple[NamedInstrument, ...]) -> list[InstrumentSpec]:
    """The ensemble for the named instruments (duplicates of the same word dropped)."""
    out: list[InstrumentSpec] = []
    seen: set[tuple[int, str]] = set()
    named = _guest_leads(_one_part_each(named))
    explicit_melody = any(n.role == "melody" for n in named)
    have_melody = False
    ordered = sorted(named, key=lambda n: (n.role != "melody", n.start)) if explicit_melody else list(named)
    lead = next((n for n in ordered if n.program not in BASS_PROGRAMS | UNPITCHED_PROGRAMS),
                next((n for n in ordered if n.program not in BASS_PROGRAMS), None))
    singer = next((n for n in ordered if n.program not in BASS_PROGRAMS | CHORD_PROGRAMS | PAD_PROGRAMS
                   | UNPITCHED_PROGRAMS), None)
    if singer is None and lead is not None and lead.program in CHORD_PROGRAMS:
        # "a cello and piano duet": with no other singer the cello (bassoon, trombone) carries the tune
        singer = next((n for n in ordered if n.program in LOW_SINGERS), None)
        if singer is not None and sum(n.program in LOW_SINGERS for n in ordered) == 1:
            ordered = [n for n in ordered if n is not singer]
            ordered.insert(0, singer)
            lead = singer
        else:
            singer = None
    if not explicit_melody and singer is not None and ordered[0].program in CHORD_PROGRAMS | SECTION_PADS:
        lead = singer  # "piano and violin", "strings and oboe": the violin (oboe) sings, the others accompany
    if not explicit_melody and lead is not None and ordered[0] is not lead and (
            ordered[0].program in BASS_PROGRAMS | UNPITCHED_PROGRAMS or lead is singer):
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


def instrument_label(program: int, lang: str) -> str:
    """An instrument's name in the reply language: 钢弦吉他 in a Chinese reply, not "Acoustic Guitar (steel)"."""
    if lang == "zh":
        zh = load_prompt("instruments.json").get("gm_zh", [])
        if 0 <= program < len(zh):
            return zh[program]
    return GM_PROGRAMS[program]


def substitution_note(n: NamedInstrument, lang: str) -> str:
    """The reply line for an instrument with no General MIDI patch. When the stand-in's Chinese name is the
    word itself (唢呐 -> Shanai, 扬琴 -> Dulcimer) "唢呐没有音色，改用唢呐" would contradict itself, so the
    line says plainly which General MIDI sound plays it."""
    notes = load_prompt("instruments.json")["notes"]
    name = instrument_label(n.program, lang)
    entry = notes["substitute_same_name" if name == n.word else "substitute"]
    return (entry.get(lang) or entry["en"]).format(word=n.word, name=name, gm=GM_PROGRAMS[n.program],
                                                   program=n.program)


def style_program(word: str, program: int, style: str) -> int:
    """The program a plain word has in a style ('bring back the bass' in an electronic piece is its synth bass,
    'a guitar' in rock is overdriven); a qualified word ('acoustic guitar') keeps its own."""
    table = load_prompt("instruments.json")["generic_by_style"]
    kind = table["words"].get(word)
    return int(table[kind].get(style, program)) if kind else program


def style_instruments(style: dict) -> list[InstrumentSpec]:
    """The default ensemble from a style entry of ``prompts/styles.json``."""
    return [InstrumentSpec(GM_PROGRAMS[int(p)], int(p), r) for p, r in style.get("instruments", [])]


def instrument_words() -> tuple[str, ...]:
    """Every instrument phrase (used by the edit parser to find 'use a violin instead')."""
    return keys_tuple(instrument_table())


_HARMONY_ROLES = ("chords", "bass", "pad", "counter")


def _stand_in(role: str, banned: set[int], style: str) -> InstrumentSpec | None:
    """The first of ``stand_ins[role]`` that is not banned, as the style plays it (a jazz guitar in jazz)."""
    d = load_prompt("instruments.json")
    generic = d["generic_by_style"]
    for word in d["stand_ins"].get(role, []):
        plain = instrument_table()[word][0]
        kind = generic["words"].get(word)
        for program in (generic[kind].get(style, plain) if kind else plain, plain):
            if program not in banned:
                return InstrumentSpec(GM_PROGRAMS[program], program, role)
    return None


def _with_stand_ins(parts: list[InstrumentSpec], banned: set[int], style: str) -> list[InstrumentSpec]:
    """``parts`` without the banned programs; a banned melody or chords part is played by a stand-in, a banned
    bass, pad or counter part is simply left out ('leave out the bass' means no bass)."""
    out: list[InstrumentSpec] = []
    for part in parts:
        if part.program in banned:
            part = _stand_in(part.role, banned, style) if part.role in ("melody", "chords") else None
        if part is not None and all((p.program, p.role) != (part.program, part.role) for p in out):
            out.append(part)
    return out


def without_excluded(instruments: list[InstrumentSpec], found: InstrumentsFound, style: str,
                     accompany: bool) -> list[InstrumentSpec]:
    """The ensemble with nothing the user excluded, not even what the style would bring.

    'rock song, no guitar' loses the rock guitars (a piano takes the tune and the chords), and
    'sad violin, no piano' gets an accompaniment that is not the piano the style's figure would
    fall back on: the arranger only fills a part the spec leaves empty.
    """
    banned = {n.program for n in found.excluded}
    pitched = [i for i in instruments if not i.is_drum]
    if not banned or not pitched:
        return instruments
    drums = [i for i in instruments if i.is_drum]
    defaults = style_instruments(style_table().get(style, {}))
    if not found.named:
        return _with_stand_ins(defaults, banned, style) + drums
    kept = [i for i in pitched if i.program not in banned]
    if not accompany or any(i.role in _HARMONY_ROLES for i in kept):
        return kept + drums
    fill = [d for d in defaults if d.role in _HARMONY_ROLES]
    lead = next((i for i in kept if i.role == "melody"), kept[0] if kept else None)
    needs_chords = not any(d.role == "chords" for d in fill) and (lead is None or lead.program not in CHORD_PROGRAMS)
    if not any(d.program in banned for d in fill) and not (needs_chords and 0 in banned):
        return kept + drums  # the arranger's own fill plays nothing excluded
    if needs_chords:
        fill = [InstrumentSpec.gm(0, "chords"), *fill]
    return kept + _with_stand_ins(fill, banned, style) + drums


_LOOSE_GROUPS = frozenset({0, 3, 4, 10, 11})  # GM groups of eight whose members stand in for each other (keys,
# guitars, basses, synth leads, synth pads); a harp is no cello and a trumpet no trombone


def parts_named(instruments: list[InstrumentSpec], program: int, word: str = "") -> list[InstrumentSpec]:
    """The pitched parts a mention names in a piece: its own program, every member of a plain word's family
    ('the guitar' is any guitar, 'the strings' any string part), else a close cousin (an electric piano is
    'the piano')."""
    pitched = [i for i in instruments if not i.is_drum]
    family = family_programs(word) | {program}
    hit = sorted((i for i in pitched if i.program in family), key=lambda i: i.program != program)
    if hit or program // 8 not in _LOOSE_GROUPS:
        return hit
    return [i for i in pitched if i.program // 8 == program // 8]


@lru_cache(maxsize=1)
def _mix_cues() -> dict[str, re.Pattern[str]]:
    """The ``mix`` cue lists of ``instruments.json`` ('over', 'louder', 'too_loud', 'too_quiet'), compiled."""
    d = load_prompt("instruments.json")["mix"]

    def alternation(words: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w)
                                   for w in sorted(words, key=len, reverse=True)))
    return {k: alternation(v) for k, v in d.items() if isinstance(v, list)}


def too_loud_part(text: str, named: list[NamedInstrument]) -> NamedInstrument | None:
    """The part a mix complaint says is too loud: 'the guitar is drowning out the violin' (the guitar),
    '吉他把小提琴盖住了' (the guitar), '小提琴被吉他盖住了' (the guitar, after 被)."""
    over = _mix_cues()["over"].search(text)
    if over is None:
        return None
    passive = text.rfind("被", 0, over.start())  # '小提琴被吉他盖住了': the part after 被 is too loud
    by = [x for x in named if passive < x.start < over.start()] if passive >= 0 else []
    before = by or [x for x in named if x.start < over.start()]
    return before[0] if before else None


def mix_complaint_at(text: str) -> int | None:
    """Where 'X is drowning out Y' / 'X盖过了Y' puts one part over another, or None."""
    over = _mix_cues()["over"].search(text)
    return over.start() if over else None


def asks_for_more(text: str) -> bool:
    """'贝斯再重一点', 'a heavier bass': more of a named part, as a volume change."""
    return _mix_cues()["louder"].search(text) is not None


def loudness_complaint(text: str) -> int:
    """-1 when the message says a part is too loud ('鼓声音太大了', '吉他太大声了', '低音太闷了'), +1 when it is
    too quiet ('鼓声音太小', "can't hear the flute"), 0 when it says neither.

    A complaint decides the direction on its own: '太大声' holds '大声', a "louder" cue, so the two
    volume cue lists would cancel each other out and the message would fall through to a swap.
    """
    cues = _mix_cues()
    loud, quiet = cues["too_loud"].search(text), cues["too_quiet"].search(text)
    if loud and quiet:
        return -1 if loud.start() < quiet.start() else 1
    return -1 if loud else 1 if quiet else 0


def instrument_note(name: str, lang: str, **kw) -> str:
    """One of the instrument remarks in ``instruments.json`` ``notes``, in the reply language."""
    entry = load_prompt("instruments.json")["notes"][name]
    return (entry.get(lang) or entry["en"]).format(**kw)


def already_there_note(word: str, lang: str) -> str:
    """The reply line for an instrument the piece already has ('加鼓和贝斯' when there is a bass)."""
    return instrument_note("already_there", lang, part=word)
