"""Requests in English or Chinese -> ``ParsedMessage`` (intent + ``MusicSpec``).

Pipeline: normalise the text (NFKC, control characters, number words to
digits, jieba tokens for Chinese) -> find explicit attributes (tempo, key,
meter, length, instruments, drums: ``parse_explicit``/``parse_instruments``)
and semantic ones (style and mood: lexicons in ``parse_semantic``, optionally
sentence embeddings in ``embedding``) -> decide the intent and, for follow-ups,
the changes relative to the current spec (``parse_edit``) -> build and clamp
the spec. ``parse_message`` never raises: anything unexpected falls back to a
help reply with a valid spec.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.lexicon import has_cjk, load_prompt, mood_table, style_table, zh_tokens
from assistant.parse_explicit import (
    KeyFound,
    LengthFound,
    MeterFound,
    TempoFound,
    find_chord_progression,
    find_drums,
    find_keys,
    find_length,
    find_meter,
    find_seed,
    find_tempo,
    same_length_lower,
    seconds_to_bars,
    user_spelling,
)
from assistant.parse_followup import names_a_piece, without_praise
from assistant.parse_instruments import (
    CHORD_PROGRAMS,
    InstrumentsFound,
    assign_roles,
    drum_request,
    find_instruments,
    kit_notes,
    listed_band,
    mask_negated,
    style_instruments,
    substitution_note,
    without_excluded,
)
from assistant.parse_numbers import replace_en_number_words, replace_zh_numerals
from assistant.parse_semantic import (
    MoodFound,
    OccasionFound,
    StyleFound,
    find_energy,
    find_mood,
    find_occasion,
    find_size,
    find_styles,
)
from assistant.parsed import ParsedMessage
from music.conditioning import spec_to_conditioning
from music.gm import GM_PROGRAMS
from music.key_lib import key_from_chords
from music.score import beats_per_bar, parse_time_signature
from music.spec import BARS_RANGE, SUPPORTED_METERS, TEMPO_RANGE, InstrumentSpec, MusicSpec, clamp_spec
from music.theory import is_major_like, note_name_to_pc, spell_tonic

MAX_CHARS = 4000  # longer messages are read up to here (lyrics are split off first)
DEFAULT_BARS = 16
_DEFAULT_TONIC = {"major": 0, "ionian": 0, "major_pentatonic": 7, "minor": 9, "aeolian": 9, "harmonic_minor": 9,
                  "minor_pentatonic": 9, "blues": 9, "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7,
                  "locrian": 11}


# Function words of languages we do not read, to answer 'une chanson triste' with a clarifying reply.
_FOREIGN_STOPWORDS = frozenset(
    "une un le la les des du au aux avec et est pour sur très chanson musique lente rapide triste joyeuse el los las "
    "una con y por canción muy lenta und der die das ein eine mit ist für sehr lied langsam schnell traurig il lo "
    "gli di che della canzone molto".split())
_ENGLISH_STOPWORDS = frozenset("a an the and with in of for to on at is it this that song music piece please "
                               "make me some".split())


# Chinese function words and verbs: a message built on them is Chinese, whatever English words it borrows
_ZH_FRAME = re.compile(r"[来个首一加的要给我吧换把用请帮再让和很太点些呢吗么啊了做写整弄想]")


@dataclass(frozen=True)
class Normalised:
    """One message in the forms the finders need."""

    raw: str  # NFKC, control characters removed, truncated; original case
    low: str  # raw lower-cased with offsets kept
    num: str  # low with English and Chinese number words turned into digits
    tokens: tuple[tuple[str, int], ...] | None  # jieba tokens of ``low`` (None without Chinese)
    lang: str  # "en" or "zh"
    other_language: bool  # mostly Japanese kana, Cyrillic, Hangul...
    truncated: bool


def detect_lang(text: str) -> tuple[str, bool]:
    """("zh" when mainly Chinese else "en", whether it looks like a language we do not read)."""
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    kana = sum(1 for c in text if "\u3040" <= c <= "\u30ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    other = sum(1 for c in text if c.isalpha() and not c.isascii() and not "\u4e00" <= c <= "\u9fff"
                and not "\u00c0" <= c <= "\u024f")
    if kana > 0 and kana >= cjk * 0.3:
        return "en", True
    english_frame = any(w in _ENGLISH_STOPWORDS for w in re.findall(r"[a-z']+", text.lower()))
    if cjk and (cjk * 3 >= latin or _ZH_FRAME.search(text) or not english_frame):
        return "zh", False  # "来个lofi beat", "加个breakdown": a Chinese sentence with English words in it
    accented = sum(1 for c in text if "\u00c0" <= c <= "\u024f")
    words = re.findall(r"[a-zà-ÿ']+", text.lower())
    foreign = sum(1 for w in words if w in _FOREIGN_STOPWORDS)
    english = sum(1 for w in words if w in _ENGLISH_STOPWORDS)
    return "en", (other > max(latin, 3) or (accented >= 3 and accented * 8 > latin)
                  or (foreign >= 2 and foreign > english))


@lru_cache(maxsize=1)
def _t2s():
    """Traditional -> simplified Chinese (OpenCC's tables, pure Python), loaded once."""
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """"來一首歡快的笛子曲" -> "来一首欢快的笛子曲", so one vocabulary reads both scripts (offsets are kept)."""
    if not has_cjk(text):
        return text
    try:
        out = _t2s().convert(text)
    except Exception:  # noqa: BLE001 - without the tables the simplified vocabulary still reads most messages
        return text
    return out if len(out) == len(text) else text


def normalise(text: object) -> Normalised:
    s = text if isinstance(text, str) else ("" if text is None else str(text))
    s = to_simplified(unicodedata.normalize("NFKC", s))
    s = "".join(c if (c in "\n\t" or unicodedata.category(c)[0] != "C") else " " for c in s)
    truncated = len(s) > MAX_CHARS
    s = s[:MAX_CHARS]
    low = same_length_lower(s)
    lang, other = detect_lang(s)
    tokens = tuple(zh_tokens(low)) if has_cjk(low) else None
    num = replace_zh_numerals(replace_en_number_words(low)) if s else ""
    return Normalised(s, low, num, tokens, lang, other, truncated)


@dataclass(frozen=True)
class Attributes:
    """Everything a message states, before any defaults."""

    tempo: TempoFound | None
    tempos: tuple[TempoFound, ...]
    keys: tuple[KeyFound, ...]
    meter: MeterFound | None
    bad_meters: tuple[str, ...]
    length: LengthFound | None
    instruments: InstrumentsFound
    drums: bool | None
    drums_only: bool
    seed: int | None
    styles: tuple[StyleFound, ...]
    mood: MoodFound | None
    energy: float | None
    embedded_style: str | None
    chords: tuple[tuple[int, str], ...] = ()  # a named chord progression, (root pc, quality)
    solo: bool = False  # "solo", "only", "on piano": the named instruments play alone
    alone: bool = False  # "solo violin", "just piano and drums", "a duet": nothing is added to them
    a_cappella: bool = False  # voices only
    doubled: tuple[int, ...] = ()  # programs asked for twice: "two violins", "两把吉他"
    raw_low: str = ""  # the message, lower-cased (for remarks about what could not be read)
    occasion: OccasionFound | None = None  # "workout music", "睡前听的": implies style, mood, energy, drums
    size_bars: int | None = None  # "a short song" (8), "a long piece" (32): a length when no number is given

    def musical(self) -> bool:
        """Whether the message asks for anything musical at all."""
        return bool(self.tempo or self.keys or self.meter or self.bad_meters or self.length or self.instruments.named
                    or self.instruments.excluded or self.instruments.drum_mentioned or self.drums is not None or self.styles or self.mood
                    or self.embedded_style or self.occasion)


def extract_attributes(n: Normalised, use_embeddings: bool = True) -> Attributes:
    toks = list(n.tokens) if n.tokens is not None else None
    num_toks = list(zh_tokens(n.num)) if n.tokens is not None else None
    tempo, tempos = find_tempo(n.num, num_toks)
    meter, bad = find_meter(n.num, n.low, toks)
    instruments = find_instruments(n.low, toks)
    drums, drums_only = drum_request(instruments, find_drums(n.low, instruments.drum_mentioned))
    low = mask_negated(n.low, instruments)  # 'I hate drums' names no mood, 'no piano' no piano style
    styles = find_styles(low, toks)
    mood = find_mood(low, toks)
    emb_style = None
    have_style = bool(styles) or instruments.style_hint is not None
    energy = find_energy(n.low, toks)
    if use_embeddings and n.lang == "en" and not n.other_language and n.raw.strip() and (
            mood is None or not have_style):
        lexical = mood
        mood, emb_style = _with_embeddings(mask_negated(n.raw, instruments), mood, have_style)
        if lexical is None and mood is not None and energy is not None and energy * mood.arousal < -0.1:
            mood = None  # "slow and emotional" is not angry: a guess that fights a stated energy is dropped
        if emb_style is not None and lexical is not None and abs(
                float(style_table()[emb_style]["arousal"]) - lexical.arousal) > 0.8:
            emb_style = None  # a "lyrical" piece is not guessed into funk
    occasion = find_occasion(n.low, toks)
    if occasion is not None and occasion.mood is not None and (mood is None or mood.guessed):
        d = mood_table()[occasion.mood]  # the occasion's mood beats an embedding guess ("workout music" is not calm)
        mood = MoodFound(occasion.mood, float(d["valence"]), float(d["arousal"]), (occasion.phrase,), guessed=True)
    if occasion is not None and occasion.style is not None and not styles:
        emb_style = None
    return Attributes(
        tempo=tempo, tempos=tuple(tempos), keys=tuple(find_keys(n.raw)), meter=meter, bad_meters=tuple(bad),
        length=find_length(n.num), instruments=instruments, drums=drums, drums_only=drums_only,
        seed=find_seed(n.num), styles=tuple(styles), mood=mood, energy=energy,
        embedded_style=emb_style, chords=tuple(find_chord_progression(n.raw)),
        solo=_solo_cue(n.low, instruments),
        alone=bool(_ALONE.search(n.low)) and bool(instruments.named),
        a_cappella=bool(_A_CAPPELLA.search(n.low)), raw_low=n.low, occasion=occasion, size_bars=find_size(n.low),
        doubled=tuple(i.program for m in _TWO_OF.finditer(n.low) for i in instruments.named
                      if m.start() <= i.start < m.end() + 2)
        or ((instruments.named[0].program,) if len({i.program for i in instruments.named}) == 1
            and re.search(r"\b(?:duet|duo)\b|二重奏", n.low) else ()),
    )


_ADD_SECTION = re.compile(r"\b(?:add|append|here'?s|here is|and)\s+(?:a|an|another|the|one more)?\s*(?:second|third|fourth|"
                          r"new|next|last|final|extra)?\s*(?:verse|chorus|bridge|stanza|part|lines?)\b|"
                          r"(?:再)?(?:加|添|续)(?:一|上)?段(?:歌词|主歌|副歌|桥段)?|第[二三四]段(?:歌词|主歌)?|续写歌词|加上这段")
_NEW_WORDS = re.compile(r"\b(instead|new|different|other|change|replace|swap)\b|换|改|新")
_SOLO = re.compile(r"\b(solo|alone|only|unaccompanied|by itself|on its own)\b|独奏|独自|单独|只有|只用")


_COMPOSE_ASK = re.compile(r"\b(?:write|compose|make|create|generate|play|give)\b.{0,20}\b(?:song|tune|piece|track|"
                          r"melody|music|waltz|march|something)\b|写一首|来一首|作一首|生成一首")
_NOT_A_KEY = re.compile(r"(?<![a-z])([i-z])\s*-?\s*(?:(?:major|minor)\b|大调|小调)")
_ALONE = re.compile(_SOLO.pattern + r"|\b(just|duet|duo|for two)\b|只要|二重奏|两把|两支|两个|"
                    r"纯(?=钢琴|吉他|小提琴|大提琴|古筝|二胡|笛)")  # the solo words, and duets
_A_CAPPELLA = re.compile(r"\ba ?cappella\b|\bacapella\b|\bvoices only\b|清唱|无伴奏合唱|人声合唱")
_TWO_OF = re.compile(r"\b(?:two|2|a pair of|pair of)\s+(\w+?)s\b|(?:两把|两支|两个|两台|双)(\S{1,4})")


def _solo_cue(low: str, instruments: InstrumentsFound) -> bool:
    """'a pop song on piano', 'guitar solo', '钢琴独奏': the named parts play alone, without the style's band."""
    if _SOLO.search(low):
        return True
    return any(re.search(r"\b(?:on|played on)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}" + re.escape(i.word.lower()), low)
               for i in instruments.named)


def _with_embeddings(raw: str, mood: MoodFound | None, have_style: bool) -> tuple[MoodFound | None, str | None]:
    """Phrase-level embedding matches fill a mood or style the lexicons did not find.

    Measured (benchmarks/parse_accuracy.py): blending embeddings with lexicon moods lost accuracy on
    the MuseCoco descriptions, so the embedding path only fills gaps and the lexicons always win.
    """
    try:
        from assistant import embedding
        from assistant.lexicon import mood_table

        m_match, s_match = embedding.match_phrases(raw)
    except Exception:  # noqa: BLE001 - the model is optional; the lexicon path still answers
        return mood, None
    if mood is None and m_match is not None:
        d = mood_table()[m_match.label]
        mood = MoodFound(m_match.label, float(d["valence"]), float(d["arousal"]), (m_match.phrase,), guessed=True)
    return mood, (None if have_style or s_match is None else s_match.label)


def note(name: str, lang: str, **kw) -> str:
    """A user-facing remark from ``prompts/parser_notes.json`` in the reply language."""
    entry = load_prompt("parser_notes.json").get(name, {})
    template = entry.get(lang) or entry.get("en") or name
    try:
        return template.format(**kw)
    except (KeyError, ValueError, IndexError):
        return template


def _clip(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


FLAVOURS = frozenset({"chinese"})  # "中国风的说唱", "国风电子": a flavour over another style's groove


def choose_style(a: Attributes) -> str:
    if a.styles:
        named = [s.style for s in a.styles if s.style not in FLAVOURS]
        if a.occasion is not None and a.occasion.style in named:
            return a.occasion.style  # "a video game soundtrack from the 90s, 8-bit chiptune": the weightiest reading
        return named[0] if named else a.styles[0].style
    if a.occasion is not None and a.occasion.style and a.occasion.name != "background":
        return a.occasion.style  # "workout music": the occasion says more than a guitar does
    if a.instruments.style_hint:
        return a.instruments.style_hint
    if a.occasion is not None and a.occasion.style:
        return a.occasion.style
    return a.embedded_style or "pop"


def choose_key(a: Attributes, valence: float, mood_given: bool, style_mode: str,
               lang: str) -> tuple[str, str, list[str]]:
    """Tonic name and mode: stated ones first, then a mode that fits the mood and style."""
    notes: list[str] = []
    tonics = [k for k in a.keys if k.tonic_pc is not None]
    modes = [k.mode for k in a.keys if k.mode is not None]
    if a.chords and all(k.mode is None and not re.search(r"key|\bin\b|调", k.phrase, re.I) for k in tonics):
        tonics = []  # a bare 'Eb' inside 'the chords Eb, F6 and G' names a chord, not the key
    mode = None
    if tonics:
        first = tonics[0]
        mode = first.mode or next((k.mode for k in a.keys if k.mode and k.tonic_pc is None), None)
        distinct = [k for k in tonics if (k.tonic_pc, k.mode or mode) != (first.tonic_pc, first.mode or mode)]
        if distinct:
            other = distinct[0]
            a_name = spell_tonic(first.tonic_pc, first.mode or "major") + (f" {first.mode}" if first.mode else "")
            b_name = spell_tonic(other.tonic_pc, other.mode or "major") + (f" {other.mode}" if other.mode else "")
            notes.append(note("two_keys", lang, a=a_name.replace("_", " "), b=b_name.replace("_", " ")))
    elif modes:
        mode = modes[-1] if len(set(modes)) > 1 and "pentatonic" not in modes[0] else modes[0]
        if "major_pentatonic" in modes and (valence < -0.2 or "minor" in modes):
            mode = "minor_pentatonic"
    if mode is None:
        if mood_given and valence < -0.15:
            mode = ("minor_pentatonic" if style_mode == "major_pentatonic" else
                    style_mode if not is_major_like(style_mode) else "minor")
        elif mood_given and valence > 0.15:
            mode = style_mode if is_major_like(style_mode) else "major"
        elif tonics:
            mode = "major"
        else:
            mode = style_mode
    implied = None if tonics or modes else key_from_chords(list(a.chords))
    if implied is not None:  # no key named, but a named chord progression implies one
        tonic_pc, mode = implied
        return spell_tonic(tonic_pc, mode), mode, notes
    tonic_pc = tonics[0].tonic_pc if tonics else _DEFAULT_TONIC.get(mode, 0)
    if tonics and not modes and mood_given and not is_major_like(mode):
        zh_mode = "小调" if mode == "minor" else mode
        notes.append(note("key_default_mode", lang, key=spell_tonic(tonic_pc, mode),
                          mode=zh_mode if lang == "zh" else mode.replace("_", " ")))
    return (user_spelling(tonics[0], mode) if tonics else spell_tonic(tonic_pc, mode)), mode, notes


def build_spec(a: Attributes, lang: str) -> tuple[MusicSpec, list[str]]:
    """A complete fresh spec: what the message states, defaults from its style and mood for the rest."""
    notes: list[str] = []
    style = choose_style(a)
    sd = style_table()[style]
    energy = a.energy if a.energy is not None else (a.occasion.energy if a.occasion is not None else None)
    a = replace(a, energy=energy)
    # mood first: it decides tempo, mode and density when those are not stated
    if a.mood is not None:
        valence, arousal, mood = a.mood.valence, a.mood.arousal, a.mood.mood
        if a.energy is not None:
            arousal = _clip(arousal + 0.3 * a.energy)
    else:
        valence, arousal, mood = float(sd["valence"]), float(sd["arousal"]), "neutral"
        if a.energy is not None:
            arousal = _clip(0.3 * arousal + 0.8 * a.energy)
    style_mode = a.occasion.mode if a.occasion is not None and a.occasion.mode and style == a.occasion.style else sd["mode"]
    key, mode, key_notes = choose_key(a, valence, a.mood is not None, style_mode, lang)
    notes += key_notes
    if a.mood is None and any(k.mode for k in a.keys):
        valence = _clip(valence + (0.3 if is_major_like(mode) else -0.7))
    lo, hi = sd["tempo"]
    if a.occasion is not None and a.occasion.tempo and style == a.occasion.style:
        lo, hi = a.occasion.tempo  # a reggae groove sits near 75 bpm, though it borrows the latin band
    if a.tempo is not None:
        tempo = a.tempo.bpm
        numbers = [t.bpm for t in a.tempos if t.source == "number"]
        if len(set(numbers)) > 1:
            notes.append(note("two_tempos", lang, a=numbers[0], b=next(x for x in numbers if x != numbers[0])))
        if a.mood is None and a.energy is None:
            arousal = _clip(0.4 * arousal + 1.2 * (tempo - 100.0) / 60.0)
        else:
            arousal = _clip(arousal + 0.3 * _clip((tempo - 100.0) / 50.0))
    else:
        tempo = float(round(lo + (hi - lo) * (arousal + 1.0) / 2.0))
    if not a.keys or all(k.tonic_pc is None for k in a.keys):
        odd = _NOT_A_KEY.search(a.raw_low)
        if odd:  # "X minor": say which key was used instead of guessing silently
            notes.append(note("key_unknown", lang, letter=odd.group(1).upper(), used=f"{key} {mode}"))
    ts = a.meter.time_signature if a.meter else sd["meter"]
    for bad in a.bad_meters:
        if not a.meter:
            notes.append(note("meter_unsupported", lang, ts=bad, used=ts))
    if ts not in SUPPORTED_METERS:
        ts = "4/4"
    bpb = beats_per_bar(parse_time_signature(ts))
    if a.length is not None and a.length.bars is not None:
        bars = a.length.bars
    elif a.length is not None and a.length.seconds is not None:
        bars = seconds_to_bars(a.length.seconds, min(max(tempo, TEMPO_RANGE[0]), TEMPO_RANGE[1]), bpb)
    elif a.occasion is not None and a.occasion.bars is not None:
        bars = a.occasion.bars  # a notification sound or a jingle is short
    else:
        bars = a.size_bars or DEFAULT_BARS
    occasion_styled = a.occasion is not None and (not a.styles or a.occasion.style in {x.style for x in a.styles})
    if a.drums is None and occasion_styled and a.occasion.drums is not None and not a.instruments.named:
        a = replace(a, drums=a.occasion.drums)  # workout music has a beat; music to fall asleep to has none
    if a.drums is None and not a.styles and a.mood is not None and arousal <= -0.4:
        a = replace(a, drums=False)  # "a sad song", "a calm song": no genre asked for, so no drum kit
    instruments, drums, inst_notes = choose_instruments(a, sd, lang)
    instruments = _styled_plain_instruments(a, instruments, style)
    flavour = next((s.style for s in a.styles if s.style in FLAVOURS and s.style != style), None)
    if flavour is not None:  # "国风电子": the groove's band, a Chinese lead and the pentatonic scale
        if not any(k.mode for k in a.keys):
            mode = str(style_table()[flavour]["mode"]) if valence >= -0.15 else "minor_pentatonic"
            key = spell_tonic(note_name_to_pc(key), mode)
        if not a.instruments.named:
            lead = next(p for p, r in style_table()[flavour]["instruments"] if r == "melody")
            instruments = [InstrumentSpec.gm(lead, "melody") if i.role == "melody" and not i.is_drum else i
                           for i in instruments]
    accompany = not (a.alone or a.a_cappella or listed_band(a.instruments, a.styles[0].style if a.styles else None))
    instruments = without_excluded(instruments, a.instruments, style, accompany)
    kit_from = sd.get("drums_above_arousal")  # an epic battle cue brings the film kit in; a sad theme doesn't
    if kit_from is not None and a.drums is None and accompany and arousal >= float(kit_from) and not drums:
        drums, instruments = True, instruments + [InstrumentSpec.drums()]
    if a.a_cappella:  # every part sung: the melody on a voice, the harmony on the choir
        instruments = [i if i.program in VOICE_PROGRAMS else InstrumentSpec.gm(53 if i.role == "melody" else 52, i.role)
                       for i in instruments if not i.is_drum] or [InstrumentSpec.gm(53, "melody")]
        drums = False
    for program in a.doubled:  # "a piece for two violins": the second plays a counter line
        if sum(i.program == program for i in instruments) == 1:
            role = "chords" if program in CHORD_PROGRAMS else "counter"
            instruments = instruments + [InstrumentSpec.gm(program, role)]
    notes += inst_notes
    density = _clip(float(sd["density"]) + 0.15 * arousal, 0.05, 0.95)
    tonic = note_name_to_pc(key)
    named = list(a.chords)
    if named and any(k.tonic_pc is not None for k in a.keys) and not _chords_fit_key(named, tonic, mode):
        named = []  # "in C major ... F, Fm6, C" point to F major: the key asked for wins, the model writes the chords
    spec = MusicSpec(
        tempo_bpm=float(tempo), key=key, mode=mode, time_signature=ts, bars=int(bars), instruments=instruments,
        drums=drums, mood=mood, valence=round(_clip(valence), 3), arousal=round(_clip(arousal), 3), style=style,
        seed=a.seed or 0, density=round(density, 3), register=float(sd["register"]), accompany=accompany,
        progression=[[(pc - tonic) % 12, q] for pc, q in named],  # the chords asked for, whatever the key
    )
    return spec, notes


def _chords_fit_key(chords: list[tuple[int, str]], tonic: int, mode: str) -> bool:
    """Whether named chords point to the stated key (or its relative major or minor)."""
    implied = key_from_chords(chords)
    if implied is None:
        return True
    pc, implied_mode = implied
    if (pc, is_major_like(implied_mode)) == (tonic, is_major_like(mode)):
        return True
    relative = (tonic + 3) % 12 if not is_major_like(mode) else (tonic + 9) % 12
    return pc == relative and is_major_like(implied_mode) != is_major_like(mode)


def _styled_plain_instruments(a: Attributes, instruments: list[InstrumentSpec], style: str) -> list[InstrumentSpec]:
    """A plain "guitar" or "bass" is the style's: overdriven guitar in rock, nylon in a bossa nova, upright bass in jazz."""
    if not a.styles or a.styles[0].style != style:  # only a named style, not one the embedding guessed
        return instruments
    table = load_prompt("instruments.json")["generic_by_style"]
    swap: dict[int, int] = {}
    for n in a.instruments.named:
        kind = table["words"].get(n.word)
        program = table[kind].get(style) if kind else None
        if program is not None:
            swap[n.program] = program
    return [InstrumentSpec(GM_PROGRAMS[swap[i.program]], swap[i.program], i.role)
            if i.program in swap and not i.is_drum else i for i in instruments]


BASS_GUITARS = frozenset(range(32, 40)) | {43}
VOICE_PROGRAMS = frozenset({52, 53, 54})  # basses that play bass lines; a cello or bassoon may lead


def choose_instruments(a: Attributes, sd: dict, lang: str) -> tuple[list[InstrumentSpec], bool, list[str]]:
    notes: list[str] = []
    if a.drums_only:
        return [InstrumentSpec.drums()], True, [note("drums_only", lang)]
    found = a.instruments
    for n in found.named:
        if n.substitute:
            line = substitution_note(n, lang)
            if line not in notes:
                notes.append(line)
    notes += kit_notes(found, lang)  # a bodhran or castanets are played by the kit: say so
    if found.named:
        ensemble = assign_roles(found.named)
        # "a rock song with electric guitar" keeps the style's kit; "a pop song on piano" is the piano alone,
        # and a list of several instruments is the whole band
        one = len({i.program for i in found.named}) == 1
        drums = a.drums if a.drums is not None else one and bool(a.styles) and bool(sd["drums"]) and not a.solo
        if one and not a.solo and ensemble[0].program in BASS_GUITARS and not any(n.role for n in found.named):
            # "a funk groove with slap bass": the bass plays bass; the arranger gives the tune to the style's lead
            ensemble = [InstrumentSpec(ensemble[0].name, ensemble[0].program, "bass")]
    else:
        excluded = {n.program for n in found.excluded}
        ensemble = [i for i in style_instruments(sd) if i.program not in excluded]
        if ensemble and not any(i.role == "melody" for i in ensemble):
            ensemble[0] = InstrumentSpec(ensemble[0].name, ensemble[0].program, "melody")
        if not ensemble:
            prog = next(p for p in (0, 48, 73, 24, 40) if p not in excluded)
            ensemble = [InstrumentSpec(GM_PROGRAMS[prog], prog, "melody")]
        drums = bool(sd["drums"]) if a.drums is None else a.drums
    if drums:
        ensemble = ensemble + [InstrumentSpec.drums()]
    return ensemble, drums, notes


def clamp_with_notes(spec: MusicSpec, lang: str) -> tuple[MusicSpec, list[str]]:
    """``clamp_spec`` with its remarks in the reply language."""
    notes = []
    lo, hi = TEMPO_RANGE
    if not lo <= spec.tempo_bpm <= hi:
        used = min(max(spec.tempo_bpm, lo), hi)
        notes.append(note("tempo_clamped", lang, asked=spec.tempo_bpm, lo=lo, hi=hi, used=used))
    blo, bhi = BARS_RANGE
    if not blo <= spec.bars <= bhi:
        notes.append(note("bars_clamped", lang, asked=spec.bars, lo=blo, hi=bhi, used=min(max(spec.bars, blo), bhi)))
    clamped, _ = clamp_spec(spec)
    return clamped, notes


def conditioning_of(spec: MusicSpec) -> list[float]:
    """The generators' conditioning vector for a parsed spec (music.conditioning's one definition)."""
    return spec_to_conditioning(spec)


def _split_lyrics(text: str) -> tuple[str, str | None]:
    try:
        from lyrics.detect import split_lyrics_request
    except ImportError:
        m = re.search(r"(?:lyrics|歌词)\s*[:：]\s*(.+)", text, re.S | re.I)
        return (text[:m.start()], m.group(1).strip()) if m else (text, None)
    return split_lyrics_request(text)


def parse_message(text: str, current: MusicSpec | None = None, *, use_embeddings: bool = True) -> ParsedMessage:
    """Intent and spec for one chat message; never raises."""
    try:
        return _parse(text, current, use_embeddings)
    except Exception:  # noqa: BLE001 - the user must always get an answer
        spec = current if isinstance(current, MusicSpec) else MusicSpec()
        lang = "zh" if isinstance(text, str) and has_cjk(text) else "en"
        return ParsedMessage("help", clamp_spec(spec)[0], lang, notes=[note("not_understood", lang)])


def _parse(text: str, current: MusicSpec | None, use_embeddings: bool) -> ParsedMessage:
    from assistant.cues import ending_change
    from assistant.parse_edit import apply_edits
    from assistant.parse_intent import complaints_to_requests, detect_intent, injection

    instruction, lyric_text = _split_lyrics(text if isinstance(text, str) else "")
    if current is not None and not lyric_text:
        instruction = without_praise(instruction)  # "love it! can you add drums?" asks to add drums
    instruction = complaints_to_requests(instruction)
    n = normalise(instruction)
    lang = n.lang if instruction.strip() else normalise((lyric_text or "")[:400]).lang
    notes: list[str] = []
    if n.truncated:
        notes.append(note("truncated", lang, n=MAX_CHARS))
    if injection(n):
        notes.append(note("injection", lang))
    a = extract_attributes(n, use_embeddings)
    if lyric_text:
        section = _ADD_SECTION.search(n.low) if current is not None and current.lyrics else None
        if section is not None:  # "add a second verse:" keeps the song and puts the new lines after it
            from lyrics.setting import lyrics_text_of

            kind = next((k for k in ("chorus", "bridge") if k in section.group(0)), None) or (
                "chorus" if "副歌" in section.group(0) else "bridge" if "桥段" in section.group(0) else "verse")
            old_words = lyrics_text_of(current.lyrics) or ""
            if not old_words.lstrip().startswith("["):
                old_words = "[Verse]\n" + old_words
            lyric_text = f"{old_words}\n\n[{kind.title()}]\n{lyric_text}"
            spec, clamp_notes = clamp_with_notes(current, lang)
            return ParsedMessage("lyrics", spec, lang, notes=notes + clamp_notes, lyrics_text=lyric_text)
        if current is not None and (_NEW_WORDS.search(n.low) or not a.musical()):
            # "use these words instead": the same song (style, tempo, key, instruments) with new words
            spec, _, more = apply_edits(n, a, current, lang)
        else:
            spec, more = build_spec(a, lang)
        spec, clamp_notes = clamp_with_notes(spec, lang)
        return ParsedMessage("lyrics", spec, lang, notes=notes + more + clamp_notes, lyrics_text=lyric_text)
    intent = detect_intent(n, a, current)
    if current is None and intent.intent in ("undo", "redo", "revert", "blend"):
        intent = type(intent)("help", explicit=True, notes=[note("nothing_yet", lang)])
    if current is None and intent.intent in ("question", "chat") and a.musical() and (
            _COMPOSE_ASK.search(n.low) or names_a_piece(n.low)):
        intent = type(intent)("compose")  # "write me a jazz tune for sax?", "有没有江南水乡感觉的曲子？"
    relative_without_piece = current is None and intent.intent == "edit"
    if current is None and intent.intent in ("regenerate", "variation", "longer", "shorter", "edit"):
        intent = type(intent)("compose")
    if n.other_language and intent.intent in ("compose", "edit"):
        notes.append(note("other_language", lang))
        spec = current if current is not None else build_spec(a, lang)[0]
        return ParsedMessage("help", clamp_spec(spec)[0], lang, notes=notes)
    if intent.intent in ("help", "undo", "redo", "revert", "regenerate", "variation", "question", "blend", "chat"):
        spec = current if current is not None else build_spec(a, lang)[0]
        if intent.intent == "help" and not n.raw.strip() == "" and not intent.explicit:
            notes.append(note("other_language" if n.other_language else "not_understood", lang))
        spec, _ = clamp_spec(spec)
        extra = {"amount": 0.3} if intent.intent == "variation" else {}
        if extra and re.search(r"\b(?:different|new|another|fresh|rewrite|redo|change)\b.{0,6}\bmelody|换.{0,2}旋律|重写旋律",
                               n.low) and not re.search(r"slightly|a bit|a little|similar|稍微|一点", n.low):
            extra = {"amount": 0.9}  # "a different melody but keep the chords": far from the old tune
        if intent.intent == "undo" and intent.steps > 1:
            extra = {"steps": intent.steps}
        return ParsedMessage(intent.intent, spec, lang, changes=extra, notes=notes + intent.notes,
                             target_version=intent.target_version, blend_versions=intent.blend_versions,
                             question=intent.question)
    if intent.intent == "compose" or current is None:
        spec, more = build_spec(a, lang)
        spec, clamp_notes = clamp_with_notes(spec, lang)
        if relative_without_piece:  # 'faster' with no piece yet: a new piece, faster than the default
            spec, changes, edit_notes = apply_edits(n, a, spec, lang)
            spec, clamp_notes = clamp_with_notes(spec, lang)
            more += edit_notes
        ending = ending_change(n.low)  # "a calm piano piece that fades out at the end"
        return ParsedMessage("compose", spec, lang, changes={"ending": ending} if ending else {},
                             notes=notes + more + clamp_notes)
    spec, changes, edit_notes = apply_edits(n, a, current, lang, intent.intent)
    spec, clamp_notes = clamp_with_notes(spec, lang)
    out_intent = intent.intent
    question = None
    if out_intent == "edit" and not changes:
        if a.musical() or edit_notes:
            # "in minor" when it already is: answer with what the piece is, make no version
            out_intent, question = "question", "summary"
            edit_notes = edit_notes or [note("already_so", lang)]  # a specific note already says why
        else:
            out_intent = "help"
            edit_notes = edit_notes + [note("not_understood", lang)]
    return ParsedMessage(out_intent, spec, lang, changes=changes, notes=notes + edit_notes + clamp_notes,
                         question=question)
