"""``baseline``: a rule-based melody writer (no learning), kept as the benchmark floor.

Four-bar phrases in an A A' B A shape, rhythms drawn per beat from the spec's
density, chord tones on strong beats, stepwise motion between them, cadence on
the tonic. Every choice comes from a seeded ``random.Random``.
"""

from __future__ import annotations

import random

from generators.base import MelodyResult
from music.harmony import chord_at
from music.score import ChordEvent, Note, beats_per_bar
from music.spec import MusicSpec
from music.theory import chord_pcs, note_name_to_pc, scale_pcs


def beat_units(meter: tuple[int, int]) -> list[float]:
    """Lengths (in quarter beats) of the beats of one bar: 6/8 -> [1.5, 1.5], 7/8 -> [1, 1, 1.5]."""
    num, den = meter
    if den == 8 and num % 3 == 0 and num >= 6:
        return [1.5] * (num // 3)
    if den == 8:
        units = [1.0] * ((num - 3) // 2) + [1.5] if num % 2 else [1.0] * (num // 2)
        return units
    return [4.0 / den] * num


def bar_rhythm(meter: tuple[int, int], density: float, rng: random.Random, last_of_phrase: bool) -> list[tuple[float, float]]:
    """(offset, duration) pairs inside one bar."""
    units = beat_units(meter)
    if last_of_phrase:
        first = units[0]
        return [(0.0, first), (first, sum(units) - first)] if rng.random() < 0.5 and len(units) > 1 else [
            (0.0, sum(units))]
    out: list[tuple[float, float]] = []
    pos = 0.0
    for i, unit in enumerate(units):
        r = rng.random()
        if i > 0 and r < 0.25 * (1 - density) and out:
            start, dur = out[-1]
            out[-1] = (start, dur + unit)  # hold through this beat
        elif r < 0.45 + 0.35 * density and unit >= 1.0:
            if unit == 1.5:
                third = 0.5
                out += [(pos, third), (pos + third, third), (pos + 2 * third, third)] if rng.random() < 0.5 else [
                    (pos, 1.0), (pos + 1.0, 0.5)]
            else:
                half = unit / 2
                if rng.random() < 0.3:
                    out += [(pos, unit * 0.75), (pos + unit * 0.75, unit * 0.25)]
                else:
                    out += [(pos, half), (pos + half, half)]
        else:
            out.append((pos, unit))
        pos += unit
    return out


def _range(spec: MusicSpec) -> tuple[int, int]:
    centre = 62 + round(spec.register * 12)
    return centre - 8, centre + 9


def _pick(prev: int, allowed: set[int], lo: int, hi: int, rng: random.Random, max_leap: int) -> int:
    cands = [p for p in range(lo, hi + 1) if p % 12 in allowed and abs(p - prev) <= max_leap]
    if not cands:
        cands = [p for p in range(lo, hi + 1) if p % 12 in allowed] or [prev]
    weights = [1.0 / (1 + abs(p - prev)) ** 1.5 + (0.2 if p != prev else 0.0) for p in cands]
    return rng.choices(cands, weights)[0]


class BaselineGenerator:
    """Rules, not a model: see the module docstring."""

    name = "baseline"

    def _pitches(self, spec: MusicSpec, chords: list[ChordEvent], rhythm: list[tuple[float, float]],
                 rng: random.Random, start_pitch: int | None = None) -> list[int]:
        tonic = note_name_to_pc(spec.key)
        scale = set(scale_pcs(tonic, spec.mode))
        lo, hi = _range(spec)
        bpb = beats_per_bar(spec.meter)
        units = beat_units(spec.meter)
        strong = {0.0} | ({sum(units[: len(units) // 2])} if len(units) >= 4 else set())
        prev = start_pitch if start_pitch is not None else min(
            (p for p in range(lo + 3, hi) if p % 12 == tonic), default=60)
        out = []
        for i, (start, _) in enumerate(rhythm):
            chord = chord_at(chords, start)
            tones = set(chord_pcs(chord.root, chord.quality)) & scale if chord else scale
            on_strong = round(start % bpb, 3) in strong
            if i == len(rhythm) - 1:
                allowed = {tonic}
            elif on_strong and tones:
                allowed = tones
            else:
                allowed = scale
            p = _pick(prev, allowed, lo, hi, rng, 7 if on_strong else 4)
            out.append(p)
            prev = p
        return out

    def _rhythm(self, spec: MusicSpec, bars: int, first_bar: int, rng: random.Random) -> list[tuple[float, float]]:
        bpb = beats_per_bar(spec.meter)
        motif = [bar_rhythm(spec.meter, spec.density, rng, False) for _ in range(3)]
        rhythm = []
        for b in range(bars):
            bar = first_bar + b
            in_phrase = bar % 4
            last = in_phrase == 3 or b == bars - 1
            pattern = bar_rhythm(spec.meter, spec.density, rng, True) if last else motif[in_phrase % 3]
            rhythm += [(bar * bpb + o, d) for o, d in pattern]
        return rhythm

    def compose(self, spec: MusicSpec, chords: list[ChordEvent], seed: int) -> MelodyResult:
        rng = random.Random(seed)
        rhythm = self._rhythm(spec, spec.bars, 0, rng)
        pitches = self._pitches(spec, chords, rhythm, rng)
        notes = [Note(p, s, d * 0.95, 88) for p, (s, d) in zip(pitches, rhythm, strict=True)]
        return MelodyResult(notes, None, self.name)

    def fill_rhythm(self, spec: MusicSpec, chords: list[ChordEvent], rhythm: list[tuple[float, float]],
                    seed: int) -> list[int]:
        return self._pitches(spec, chords, rhythm, random.Random(seed))

    def continue_melody(self, spec: MusicSpec, chords: list[ChordEvent], notes: list[Note], extra_bars: int,
                        seed: int) -> list[Note]:
        rng = random.Random(seed)
        bpb = beats_per_bar(spec.meter)
        first_bar = int(round(max((n.end for n in notes), default=0.0) / bpb))
        rhythm = self._rhythm(spec, extra_bars, first_bar, rng)
        start = notes[-1].pitch if notes else None
        pitches = self._pitches(spec, chords, rhythm, rng, start)
        return [Note(p, s, d * 0.95, 88) for p, (s, d) in zip(pitches, rhythm, strict=True)]

    def variation(self, spec: MusicSpec, chords: list[ChordEvent], previous: MelodyResult, amount: float,
                  seed: int) -> MelodyResult:
        """Same rhythm; a share ``amount`` of the weak-beat notes move by a scale step."""
        rng = random.Random(seed)
        scale = sorted(set(scale_pcs(note_name_to_pc(spec.key), spec.mode)))
        out = []
        for n in previous.notes:
            if n.start % 1.0 != 0.0 or rng.random() < amount * 0.5:
                if rng.random() < max(amount, 0.2):
                    step = rng.choice((-1, 1))
                    p = n.pitch + step
                    while p % 12 not in scale:
                        p += step
                    n = Note(p, n.start, n.duration, n.velocity, n.lyric)
            out.append(n)
        return MelodyResult(out, None, self.name)
