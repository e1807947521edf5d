"""A second voice that answers the melody: chord tones a third to a sixth away, moving where the tune rests.

Pure functions of the melody, the chords and the instrument. The line keeps to the
instrument's playable range, avoids doubling the melody, prefers steps and contrary
motion, and never sits on one pitch for long: a counter-melody, not a drone.
"""

from __future__ import annotations

from music.harmony import chord_at
from music.score import ChordEvent, Note
from music.theory import chord_pcs

# Comfortable ranges (MIDI) by General MIDI program; families first, then the exceptions that matter.
_FAMILY_RANGE = {0: (36, 96), 1: (60, 96), 2: (36, 96), 3: (40, 84), 4: (28, 60), 5: (48, 88), 6: (36, 84),
                 7: (48, 84), 8: (53, 88), 9: (60, 96), 10: (48, 96), 11: (48, 88), 12: (36, 84), 13: (48, 84),
                 14: (48, 96), 15: (48, 84)}
_PROGRAM_RANGE = {9: (72, 105), 10: (60, 96), 11: (53, 89), 12: (45, 96), 13: (65, 105), 14: (60, 77),
                  15: (55, 88), 22: (60, 84), 40: (55, 93), 41: (48, 84), 42: (36, 76), 43: (28, 60), 46: (36, 96),
                  47: (40, 55), 52: (48, 79), 53: (48, 79), 56: (55, 82), 57: (40, 72), 58: (28, 58), 59: (55, 82),
                  60: (41, 77), 64: (56, 87), 65: (49, 81), 66: (44, 76), 67: (36, 69), 68: (58, 91), 69: (52, 81),
                  70: (34, 72), 71: (50, 91), 72: (74, 105), 73: (60, 96), 74: (60, 86), 75: (60, 96), 76: (60, 84),
                  77: (55, 84), 78: (60, 96), 79: (60, 84), 104: (48, 77), 105: (48, 84), 106: (50, 74),
                  107: (48, 84), 108: (53, 77), 109: (55, 84), 110: (55, 88), 111: (60, 84)}


def instrument_range(program: int) -> tuple[int, int]:
    """The pitches an instrument plays comfortably (a flute starts at C4, a glockenspiel near C5)."""
    return _PROGRAM_RANGE.get(program, _FAMILY_RANGE.get(program // 8, (36, 96)))


def _sounding(melody: list[Note], t: float, span: float) -> list[int]:
    """Melody pitches heard during [t, t + span)."""
    return [n.pitch for n in melody if n.start < t + span - 1e-6 and n.start + n.duration > t + 1e-6]


def counter_melody(melody: list[Note], chords: list[ChordEvent], total_beats: float, beats_per_bar: float,
                   program: int, velocity: int = 62) -> list[Note]:
    """Chord tones under (or, with no room, over) the melody: half-bar notes while the tune moves,
    two quarter notes where it holds or rests."""
    lo, hi = instrument_range(program)
    span = beats_per_bar / 2 if beats_per_bar >= 4 else beats_per_bar
    out: list[Note] = []
    prev: int | None = None
    last_ref = (lo + hi) // 2 + 4
    t = 0.0
    while t < total_beats - 1e-6:
        here = _sounding(melody, t, span)
        ref = round(sum(here) / len(here)) if here else last_ref
        last_ref = ref
        below = ref - 8  # about a sixth under the tune
        target = below if below - 2 >= lo else ref + 4
        busy = sum(1 for n in melody if t - 1e-6 <= n.start < t + span - 1e-6) >= 2
        steps = [(t, span)] if busy or span < 2 else [(t, span / 2), (t + span / 2, span / 2)]
        for start, length in steps:
            c = chord_at(chords, start)
            tones = chord_pcs(c.root, c.quality) if c else (0, 4, 7)
            now = _sounding(melody, start, length) or here
            cands = [p for p in range(lo, hi + 1) if p % 12 in tones and all(abs(p - m) >= 3 for m in now)]
            if not cands:
                cands = [p for p in range(lo, hi + 1) if p % 12 in tones] or [min(max(target, lo), hi)]
            pick = min(cands, key=lambda p: _cost(p, target, prev, out))
            out.append(Note(pick, start, length * 0.95, velocity))
            prev = pick
        t += span
    return out


def _cost(p: int, target: int, prev: int | None, line: list[Note]) -> float:
    """Near the target register, a small step from the last note, no long runs of one pitch."""
    cost = 0.5 * abs(p - target)
    if prev is not None:
        leap = abs(p - prev)
        cost += 0.6 * leap + (4.0 if leap > 7 else 0.0)
        if p == prev:
            repeats = 1 + sum(1 for _ in _same_tail(line, p))
            cost += 1.5 * repeats
    return cost


def _same_tail(line: list[Note], pitch: int):
    for n in reversed(line):
        if n.pitch != pitch:
            return
        yield n

