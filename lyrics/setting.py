"""Set lyrics to a melody: syllables -> sung rhythm -> generator pitches -> singable constraints.

``set_lyrics`` is what the chat and the CLI call. The rhythm comes from the
words (rhythm_lib), the pitches from the melody generator's ``fill_rhythm``
over the piece's chords (so the neural model writes the tune when it is
loaded), conditioned on the mood of the words blended with the request; then
melody_lib makes it singable. Every syllable gets exactly one note.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass, field

from generators.base import MelodyGenerator
from lyrics.melody_lib import (
    cadence_pitch,
    chord_at,
    fit_range,
    follow_tone_contour,
    respect_tones,
    soften_cadence_leaps,
    tone_agreement,
    vary_repeats,
    voice_range,
)
from lyrics.phrasing_lib import phrase_cuts
from lyrics.rhythm_lib import Layout, SungEvent, layout_lines, line_key
from lyrics.sentiment import blend_mood, lyrics_mood
from lyrics.sheet_lib import MAX_LINES, parse_sheet
from lyrics.syllables import Syllable, format_syllables, syllabify_line, syllable_lyric
from music.harmony import progression
from music.score import ChordEvent, Note, Section
from music.spec import BARS_RANGE, LyricLine, MusicSpec
from music.theory import chord_pcs, note_name_to_pc, scale_pcs

log = logging.getLogger(__name__)

MAX_LINE_SYLLABLES = 14  # longer lines (pasted prose) are sung as several phrases


@dataclass
class LyricSetting:
    """The sung melody and what the user should be told about it."""

    notes: list[Note]  # one note start per syllable, ``lyric`` = the syllable (hyphenated inside words);
    # with melismas the extra notes carry no lyric
    lines: list[LyricLine]
    bars: int
    notes_for_user: list[str]
    chords: list[ChordEvent] = field(default_factory=list)  # = music.harmony.progression(spec with bars)
    sections: list[Section] = field(default_factory=list)
    display: list[str] = field(default_factory=list)  # each line split into syllables, for the reply
    events: list[SungEvent] = field(default_factory=list)
    valence: float = 0.0
    arousal: float = 0.0
    melismas: int = 0  # syllables sung on more than one note (only when asked for)
    tone_agreement: tuple[int, int] = (0, 0)  # (moves agreeing with Mandarin tones, tone-bearing moves)


@dataclass(frozen=True)
class _Line:
    text: str
    syllables: list[Syllable]
    section: str
    stanza: int


def _line_text(syllables: list[Syllable]) -> str:
    out = ""
    for i, s in enumerate(syllables):
        if i and s.word_start and not (s.is_chinese and syllables[i - 1].is_chinese):
            out += " "
        out += s.text
    return out


def _pauses(text: str, count: int) -> frozenset[int]:
    """Syllable indices that follow punctuation (a comma is a natural breath) in a line of ``count`` syllables."""
    chunks = [c for c in re.split(r"[,;:!?.，；：！？。、…—]+", text) if c.strip()]
    sizes = [len(syllabify_line(c)) for c in chunks]
    if sum(sizes) != count:
        return frozenset()
    return frozenset(itertools.accumulate(sizes[:-1]))


def _split_long(text: str, syllables: list[Syllable]) -> list[tuple[str, list[Syllable]]]:
    """Cut an over-long line into phrases at natural points (see phrasing_lib)."""
    if len(syllables) <= MAX_LINE_SYLLABLES:
        return [(text, syllables)]
    cuts = phrase_cuts(syllables, MAX_LINE_SYLLABLES, _pauses(text, len(syllables)))
    if not cuts:  # one enormous word: plain chunks
        cuts = list(range(MAX_LINE_SYLLABLES, len(syllables), MAX_LINE_SYLLABLES))
    bounds = [0, *cuts, len(syllables)]
    chunks = [syllables[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    return [(_line_text(c), c) for c in chunks if c]


def _messages(lang: str) -> dict[str, str]:
    if lang == "zh":
        return {
            "long": "歌词有 {chars:,} 个字符，我只用了前 {n} 行。",
            "bars": "歌词太长，{limit} 小节放不下，我只用了前 {n} 行。",
            "long_bars": "歌词有 {chars:,} 个字符，{limit} 小节放不下，我只用了前 {n} 行。",
            "skipped": "有 {n} 行没有可唱的字（表情或符号），已跳过。",
            "empty": "歌词里没有找到可以唱的字。",
        }
    return {
        "long": "The lyrics were {chars:,} characters; I used the first {n} lines.",
        "bars": "The lyrics need more than {limit} bars; I set the first {n} lines.",
        "long_bars": "The lyrics were {chars:,} characters, more than {limit} bars; I set the first {n} lines.",
        "skipped": "Skipped {n} line(s) with nothing to sing (emoji or symbols).",
        "empty": "I found no words to sing in the lyrics.",
    }


def _collect_lines(text: str) -> tuple[list[_Line], list[str], str, int]:
    sheet = parse_sheet(text)
    lines: list[_Line] = []
    skipped = 0
    for sl in sheet.lines:
        syls = syllabify_line(sl.text)
        if not syls:
            skipped += 1
            continue
        for t, chunk in _split_long(sl.text, syls):
            lines.append(_Line(t, chunk, sl.section, sl.stanza))
    han = sum(s.is_chinese for ln in lines for s in ln.syllables)
    total = sum(len(ln.syllables) for ln in lines)
    lang = "zh" if total and han * 2 >= total else "en"
    msg = _messages(lang)
    notes: list[str] = []
    truncated_from = 0  # characters pasted, when the text was cut
    if sheet.truncated_chars or sheet.dropped_lines or len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES]
        truncated_from = sheet.chars
    if skipped:
        notes.append(msg["skipped"].format(n=skipped))
    return lines, notes, lang, truncated_from


def _fit_bars(lines: list[_Line], meter: tuple[int, int], tempo: float) -> tuple[list[_Line], Layout, bool]:
    """Lay the lines out, dropping lines from the end until the piece fits the bar limit."""
    limit = BARS_RANGE[1]
    layout = layout_lines([ln.syllables for ln in lines], meter, tempo, stanzas=[ln.stanza for ln in lines])
    if layout.bars <= limit:
        return lines, layout, False
    keep = max(1, sum(1 for first, n in layout.line_bars if first + n <= limit))
    while keep > 1:
        layout = layout_lines([ln.syllables for ln in lines[:keep]], meter, tempo,
                              stanzas=[ln.stanza for ln in lines[:keep]])
        if layout.bars <= limit:
            break
        keep -= 1
    return lines[:keep], layout, True


def _sections(lines: list[_Line], layout: Layout) -> list[Section]:
    out: list[Section] = []
    for ln, (first, n) in zip(lines, layout.line_bars, strict=False):
        if out and out[-1].name == ln.section and out[-1].start_bar + out[-1].bars == first:
            out[-1] = Section(ln.section, out[-1].start_bar, out[-1].bars + n)
        else:
            out.append(Section(ln.section, first, n))
    return out


def _shape_pitches(raw: list[int], events: list[SungEvent], lines: list[_Line], chords: list[ChordEvent],
                   spec: MusicSpec, section_shift: dict[str, int]) -> list[int]:
    """Range, cadences, tones and repeats, applied to the generator's pitches."""
    tonic = note_name_to_pc(spec.key)
    mode = spec.mode
    lo, hi = voice_range(spec.register)
    starts = [i for i, e in enumerate(events) if i == 0 or events[i - 1].line != e.line]
    ends = [i - 1 for i in starts[1:]] + ([len(events) - 1] if events else [])
    pitches = fit_range(raw, lo, hi, starts)
    first_of: dict[str, int] = {}
    source: dict[int, int] = {}  # line -> the earlier line it repeats
    for li, start in enumerate(starts):  # a repeated line or chorus: the same tune
        key = line_key(lines[events[start].line].syllables)
        if key in first_of:
            source[li] = first_of[key]
            src = starts[first_of[key]]
            pitches[start:ends[li] + 1] = pitches[src:src + ends[li] - start + 1]
        else:
            first_of[key] = li
    fixed = [False] * len(pitches)
    for li, end in enumerate(ends):
        line = lines[events[end].line]
        next_stanza = li + 1 < len(ends) and lines[events[ends[li + 1]].line].stanza != line.stanza
        final = li == len(ends) - 1 or (next_stanza and li > 0)
        prev = pitches[end - 1] if end > starts[li] else 0
        if li in source and not final:
            pitches[end] = pitches[ends[source[li]]]
        else:
            pitches[end] = cadence_pitch(prev, pitches[end], events[end].start, chords, tonic, mode, lo, hi, final)
        fixed[end] = True
    tones = [e.syllable.tone for e in events]
    pitches = respect_tones(pitches, tones, scale_pcs(tonic, mode), lo, hi, fixed, starts)
    movable = [not f and not e.accented and e.syllable.tone is not None for f, e in zip(fixed, events, strict=True)]
    pitches = follow_tone_contour(pitches, tones, scale_pcs(tonic, mode), lo, hi, movable, starts)
    sounding = [chord_at(chords, e.start) for e in events]
    chord_tones = [chord_pcs(c.root, c.quality) if c else () for c in sounding]
    pitches = vary_repeats(pitches, tones, [e.syllable.stress for e in events], scale_pcs(tonic, mode), chord_tones,
                           [e.accented for e in events], lo, hi, fixed, starts)
    octave_of: dict[str, int] = {}  # one octave move per section, so all its lines rise together
    for name, shift in section_shift.items():
        sung = [p for li, start in enumerate(starts) if lines[events[start].line].section == name
                for p in pitches[start:ends[li] + 1]]
        if shift and sung:
            centre = (lo + hi) / 2 + shift
            octave_of[name] = min((-12, 0, 12), key=lambda k: abs(sum(sung) / len(sung) + k - centre))
    for li, start in enumerate(starts):
        name = lines[events[start].line].section
        shift = section_shift.get(name, 0)
        if shift:  # move the section by octaves towards the raised centre, then fold (chords unchanged)
            seg = pitches[start:ends[li] + 1]
            octave = octave_of.get(name, 0)
            pitches[start:ends[li] + 1] = fit_range([p + octave for p in seg], lo + shift, hi + shift)
    return soften_cadence_leaps(pitches, starts, ends, lo, hi + max([0, *section_shift.values()]))


def add_melismas(notes: list[Note], events: list[SungEvent], scale: tuple[int, ...]) -> tuple[list[Note], int]:
    """Sing each line's long last note as two: a neighbour tone, then the cadence note (no new syllable)."""
    out: list[Note] = []
    count = 0
    for i, (n, e) in enumerate(zip(notes, events, strict=True)):
        line_end = i + 1 == len(events) or events[i + 1].line != e.line
        if line_end and n.duration >= 1.5:
            upper = next((p for p in range(n.pitch + 1, n.pitch + 3) if p % 12 in scale), n.pitch + 2)
            half = round(n.duration / 2 * 2) / 2
            out.append(Note(upper, n.start, half, n.velocity, n.lyric))
            out.append(Note(n.pitch, n.start + half, n.duration - half, n.velocity - 6, None))
            count += 1
        else:
            out.append(n)
    return out, count


def set_lyrics(lyrics_text: str, spec: MusicSpec, generator: MelodyGenerator, seed: int,
               section_shift: dict[str, int] | None = None, melisma: bool = False) -> LyricSetting:
    """A singable melody for the words, one note per syllable; never raises on odd text.

    ``section_shift`` raises the range of named sections in semitones, e.g.
    ``{"chorus": 4}`` for "make the chorus higher". ``melisma`` (only when the
    user asks) sings each line's last syllable on two notes; ``melismas`` counts them.
    """
    lines, notes_for_user, lang, pasted_chars = _collect_lines(lyrics_text)
    msg = _messages(lang)
    if not lines:
        return LyricSetting([], [], max(1, spec.bars), notes_for_user + [msg["empty"]])
    lines, layout, cut = _fit_bars(lines, spec.meter, spec.tempo_bpm)
    limit = BARS_RANGE[1]
    if cut or pasted_chars:
        key = "long_bars" if cut and pasted_chars else "bars" if cut else "long"
        notes_for_user.insert(0, msg[key].format(chars=pasted_chars, limit=limit, n=len(lines)))
    events = layout.events
    lyric_lines = [LyricLine(ln.text, tuple(s.text for s in ln.syllables), ln.section) for ln in lines]
    mood = lyrics_mood("\n".join(ln.text for ln in lines))
    valence, arousal = blend_mood(mood, spec.valence, spec.arousal, spec.mood not in ("", "neutral"))
    sung_spec = spec.with_(bars=layout.bars, lyrics=lyric_lines)
    chords = progression(sung_spec, seed)
    rhythm = [(e.start, e.duration) for e in events]
    mood_spec = sung_spec.with_(valence=valence, arousal=arousal)
    try:
        raw = list(generator.fill_rhythm(mood_spec, chords, rhythm, seed))
    except Exception:  # a failing model must not cost the user the song: the rules fill in
        log.exception("generator %s failed on a lyric rhythm; using the baseline", getattr(generator, "name", "?"))
        from generators.baseline import BaselineGenerator

        raw = list(BaselineGenerator().fill_rhythm(mood_spec, chords, rhythm, seed))
    if len(raw) < len(rhythm):  # a generator that returned too few pitches: repeat its last one
        raw += [raw[-1] if raw else 64] * (len(rhythm) - len(raw))
    pitches = _shape_pitches(raw[: len(rhythm)], events, lines, chords, spec, section_shift or {})
    notes = [
        Note(p, e.start, round(max(min(e.duration * 0.92, e.duration - 0.05), 0.2), 4), 92 if e.accented else 76,
             syllable_lyric(e.syllable))
        for p, e in zip(pitches, events, strict=True)
    ]
    agree = tone_agreement(pitches, [e.syllable.tone for e in events], [e.line for e in events])
    melismas = 0
    if melisma:
        notes, melismas = add_melismas(notes, events, scale_pcs(note_name_to_pc(spec.key), spec.mode))
    return LyricSetting(
        notes=notes, lines=lyric_lines, bars=layout.bars, notes_for_user=notes_for_user, chords=chords,
        sections=_sections(lines, layout), display=[format_syllables(ln.syllables) for ln in lines],
        events=events, valence=valence, arousal=arousal, melismas=melismas, tone_agreement=agree,
    )


def display_line(line: LyricLine) -> str:
    """'Twin-kle twin-kle lit-tle star' for a line of ``spec.lyrics`` (the chat reply)."""
    return format_syllables(syllabify_line(line.line)) or " ".join(line.syllables)


def format_lyrics_reply(lines: list[LyricLine] | None, lang: str = "en", max_lines: int = 16) -> str:
    """The reply paragraph showing each line split into syllables (one note each)."""
    if not lines:
        return ""
    head = "歌词按音节（每个音节一个音）：" if lang == "zh" else "Lyrics, one note per syllable:"
    body = [f"{i}. {display_line(ln)}" for i, ln in enumerate(lines[:max_lines], 1)]
    if len(lines) > max_lines:
        body.append(f"… （另有 {len(lines) - max_lines} 行）" if lang == "zh" else f"… ({len(lines) - max_lines} more lines)")
    return "\n".join([head, *body])


def lyrics_text_of(lines: list[LyricLine] | None) -> str | None:
    """The words of ``spec.lyrics`` as a sheet again, to re-set them after "in 3/4" or "change key"."""
    if not lines:
        return None
    out: list[str] = []
    for i, ln in enumerate(lines):  # a marker wherever the section changes, so the chorus stays the chorus
        if any(x.section != "verse" for x in lines) and (i == 0 or ln.section != lines[i - 1].section):
            out.append(f"[{ln.section.title()}]")
        out.append(ln.line)
    return "\n".join(out)


def lyric_lines(text: str) -> list[LyricLine]:
    """Just the lines and their syllables (for ``spec.lyrics`` without composing)."""
    lines = _collect_lines(text)[0]
    return [LyricLine(ln.text, tuple(s.text for s in ln.syllables), ln.section) for ln in lines]
