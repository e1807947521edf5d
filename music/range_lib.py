"""Where each instrument can really play, and how a part is moved there without breaking its lines.

The one table of playable ranges (sounding MIDI pitches by General MIDI program):
arrangement, counter-melodies, endings and edits all read it through
``instrument_range``/``part_range``. Lines (melody, bass, counter, and any part an
edit moves) keep their shape: the whole part moves by octaves, or failing that each
phrase does; single notes fold only when a phrase is wider than the instrument.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from music.form_lib import phrase_lengths
from music.score import Note, Section

# Families (program // 8) first, then the programs whose range differs from their family's.
_FAMILY_RANGE = {0: (21, 108), 1: (60, 96), 2: (36, 96), 3: (40, 88), 4: (28, 67), 5: (28, 103), 6: (28, 103),
                 7: (36, 84), 8: (50, 88), 9: (60, 96), 10: (36, 96), 11: (36, 96), 12: (36, 96), 13: (48, 84),
                 14: (40, 84), 15: (36, 96)}
_PROGRAM_RANGE = {
    4: (28, 103), 5: (28, 103), 6: (29, 89), 7: (28, 88),  # electric pianos, harpsichord, clavinet
    8: (60, 108), 9: (77, 108), 10: (60, 96), 11: (53, 89), 12: (45, 96), 13: (65, 108), 14: (60, 77),
    15: (50, 88),  # celesta, glockenspiel (F5 up), music box, vibraphone, marimba, xylophone, chimes, dulcimer
    19: (24, 96), 20: (41, 89), 21: (40, 93), 22: (60, 96), 23: (36, 93),  # church organ .. bandoneon
    24: (40, 83), 38: (24, 72), 39: (24, 72),  # nylon guitar, synth basses
    40: (55, 103), 41: (48, 91), 42: (36, 84), 43: (28, 67), 45: (28, 96), 46: (24, 103), 47: (38, 57),
    52: (40, 84), 53: (40, 84), 54: (40, 84), 55: (36, 96),  # voices
    56: (52, 84), 57: (40, 77), 58: (28, 65), 59: (52, 82), 60: (34, 77), 61: (34, 84),
    64: (56, 87), 65: (49, 81), 66: (44, 76), 67: (36, 69), 68: (58, 91), 69: (52, 81), 70: (34, 75), 71: (50, 94),
    72: (74, 108), 73: (60, 96), 74: (60, 98), 75: (55, 96), 76: (60, 84), 77: (55, 86), 78: (62, 98), 79: (60, 89),
    104: (48, 79), 105: (48, 84), 106: (50, 81), 107: (48, 88), 108: (55, 88), 109: (67, 81), 110: (55, 100),
    111: (60, 84), 112: (72, 108), 113: (60, 84), 114: (55, 89), 115: (60, 84), 116: (36, 60), 117: (40, 72),
    118: (36, 72),
}
HARMONY_ROLES = frozenset({"chords", "accompaniment", "pad"})
HARMONY_FLOOR = 36  # C2: a chord voiced lower is mud on any instrument
_MAX_OCTAVES = 4
_SAME_ONSET = 0.05  # beats: notes closer than this sound as one chord


def instrument_range(program: int) -> tuple[int, int]:
    """The sounding pitches an instrument plays (a flute from C4, a glockenspiel from F5, a cello from C2)."""
    return _PROGRAM_RANGE.get(program, _FAMILY_RANGE.get(program // 8, (36, 96)))


def part_range(program: int, role: str) -> tuple[int, int]:
    """The instrument's range for a part; harmony parts also stay above C2, where chords turn to mud."""
    lo, hi = instrument_range(program)
    return (max(lo, HARMONY_FLOOR), hi) if role in HARMONY_ROLES else (lo, hi)


def octave_shift_to_fit(pitches: Sequence[int], lo: int, hi: int) -> int | None:
    """Semitones (a multiple of 12, the smallest move) that bring every pitch into [lo, hi]; None if none can."""
    if not pitches:
        return 0
    bottom, top = min(pitches), max(pitches)
    fitting = [12 * k for k in range(-_MAX_OCTAVES, _MAX_OCTAVES + 1) if lo <= bottom + 12 * k and top + 12 * k <= hi]
    centre = (lo + hi) / 2
    return min(fitting, key=lambda s: (abs(s), abs((bottom + top) / 2 + s - centre)), default=None)


def _best_shift(pitches: Sequence[int], lo: int, hi: int) -> int:
    """The octave move leaving the fewest pitches outside [lo, hi] (the smallest move among equals)."""
    def outside(s: int) -> int:
        return sum(1 for p in pitches if not lo <= p + s <= hi)

    return min((12 * k for k in range(-_MAX_OCTAVES, _MAX_OCTAVES + 1)), key=lambda s: (outside(s), abs(s)))


def fold_pitch(pitch: int, lo: int, hi: int) -> int:
    """The pitch moved by whole octaves into [lo, hi] (to the nearest edge when the range is under an octave)."""
    while pitch < lo:
        pitch += 12
    while pitch > hi and pitch - 12 >= lo:
        pitch -= 12
    return pitch


def _shifted(notes: list[Note], semitones: int) -> list[Note]:
    return [replace(n, pitch=n.pitch + semitones) for n in notes] if semitones else list(notes)


def _without_doubles(notes: list[Note]) -> list[Note]:
    """Drop a note that repeats a pitch already struck at (nearly) the same time: a folded chord tone."""
    out: list[Note] = []
    for n in sorted(notes, key=lambda n: (n.start, n.pitch)):
        if not any(m.pitch == n.pitch and abs(m.start - n.start) < _SAME_ONSET for m in out[-12:]):
            out.append(n)
    return out


def voice_into_range(notes: list[Note], lo: int, hi: int) -> list[Note]:
    """Harmony re-voiced for the instrument: chord tones outside it move by octaves, doubled tones go."""
    if all(lo <= n.pitch <= hi for n in notes):
        return list(notes)
    return _without_doubles([replace(n, pitch=fold_pitch(n.pitch, lo, hi)) for n in notes])


def phrase_starts(sections: Sequence[Section], bpb: float) -> list[float]:
    """Phrase boundaries in beats: the four-bar phrases of each section (``form_lib.phrase_lengths``)."""
    starts = [0.0]
    for sec in sections:
        bar = sec.start_bar
        for length in phrase_lengths(sec.bars):
            starts.append(bar * bpb)
            bar += length
    return sorted(set(starts))


def _phrase_of(t: float, starts: Sequence[float]) -> int:
    return max((i for i, s in enumerate(starts) if s <= t + 1e-6), default=0)


def fit_line(notes: list[Note], lo: int, hi: int, starts: Sequence[float] = (0.0,),
             whole_first: bool = True) -> list[Note]:
    """The part moved into [lo, hi] by octaves, keeping its lines.

    With ``whole_first`` the whole part moves when it fits (one register for the
    part, as an arranger places it); otherwise, or without it (an edit that should
    move as much as it can), each phrase (from ``starts``) takes the smallest move
    that fits it; only a phrase wider than the instrument has notes folded.
    """
    whole = octave_shift_to_fit([n.pitch for n in notes], lo, hi)
    if whole == 0 or (whole is not None and whole_first):
        return _shifted(notes, whole)
    phrases: dict[int, list[Note]] = {}
    for n in notes:
        phrases.setdefault(_phrase_of(n.start, starts), []).append(n)
    out: list[Note] = []
    for group in phrases.values():
        pitches = [n.pitch for n in group]
        shift = octave_shift_to_fit(pitches, lo, hi)
        moved = _shifted(group, shift if shift is not None else _best_shift(pitches, lo, hi))
        out += moved if shift is not None else voice_into_range(moved, lo, hi)
    return sorted(out, key=lambda n: (n.start, n.pitch))


def fit_part(notes: list[Note], program: int, role: str, starts: Sequence[float] = (0.0,),
             whole_first: bool = True) -> list[Note]:
    """``fit_line`` in the part's own range (see ``part_range``)."""
    lo, hi = part_range(program, role)
    return fit_line(notes, lo, hi, starts, whole_first)
