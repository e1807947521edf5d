"""A second voice that answers the melody: chord tones a third to a sixth away, moving where the tune rests.

Pure functions of the melody, the chords and the instrument. The line keeps to the
instrument's playable range, avoids doubling the melody, prefers steps and contrary
motion, and never sits on one pitch for long: a counter-melody, not a drone.
"""

from __future__ import annotations

from music.harmony import chord_at
from music.range_lib import instrument_range
from music.score import ChordEvent, Note
from music.theory import chord_pcs


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

