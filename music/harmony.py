"""Chord progressions for a spec.

``progression`` is the entry point the pipeline calls. This first version is
rule-based (``rules``): four-bar templates by mode family with a cadence at the
end of each phrase; a learned chord model can replace ``choose_degrees``.
"""

from __future__ import annotations

import random

from music.score import ChordEvent, beats_per_bar
from music.spec import MusicSpec
from music.theory import (
    chord_symbol,
    diatonic_triad,
    is_major_like,
    note_name_to_pc,
    uses_flats,
)

# Scale degrees per bar; the last template bar of a phrase is a cadence.
MAJOR_TEMPLATES = ((1, 5, 6, 4), (1, 4, 5, 1), (1, 6, 4, 5), (1, 4, 1, 5), (6, 4, 1, 5), (1, 3, 4, 5))
MINOR_TEMPLATES = ((1, 6, 3, 7), (1, 4, 5, 1), (1, 7, 6, 5), (1, 4, 7, 3), (1, 6, 4, 5), (1, 3, 7, 4))
SEVENTH_STYLES = frozenset({"jazz", "lofi", "blues", "funk"})


def choose_degrees(spec: MusicSpec, rng: random.Random) -> list[int]:
    """One scale degree per bar, phrases of four bars, ending on a V-I cadence."""
    templates = MAJOR_TEMPLATES if is_major_like(spec.mode) else MINOR_TEMPLATES
    phrase_a = list(rng.choice(templates))
    phrase_b = list(rng.choice(templates))
    degrees: list[int] = []
    for bar in range(spec.bars):
        phrase = phrase_a if (bar // 8) % 2 == 0 else phrase_b
        degrees.append(phrase[bar % 4])
    if spec.bars >= 2:
        degrees[-2], degrees[-1] = 5, 1
    elif spec.bars == 1:
        degrees[-1] = 1
    return degrees


def degree_to_chord(spec: MusicSpec, degree: int, seventh: bool) -> tuple[int, str]:
    tonic = note_name_to_pc(spec.key)
    root, quality = diatonic_triad(tonic, spec.mode, degree, seventh)
    if degree == 5 and not is_major_like(spec.mode) and spec.mode in ("minor", "aeolian", "harmonic_minor"):
        quality = "7" if seventh else "maj"  # raised leading tone for the cadence
    if spec.style == "rock" and quality in ("maj", "min"):
        quality = "5"
    return root, quality


def progression(spec: MusicSpec, seed: int) -> list[ChordEvent]:
    """Chords for the whole piece, one per bar."""
    rng = random.Random(seed * 7919 + 17)
    bpb = beats_per_bar(spec.meter)
    seventh = spec.style in SEVENTH_STYLES
    flats = uses_flats(note_name_to_pc(spec.key), spec.mode)
    chords = []
    for bar, degree in enumerate(choose_degrees(spec, rng)):
        root, quality = degree_to_chord(spec, degree, seventh)
        chords.append(ChordEvent(chord_symbol(root, quality, flats), root, quality, bar * bpb, bpb))
    return chords


def chord_at(chords: list[ChordEvent], beat: float) -> ChordEvent | None:
    for c in chords:
        if c.start <= beat < c.start + c.duration:
            return c
    return chords[-1] if chords else None
