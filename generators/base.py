"""The interface every melody generator implements (baseline rules or neural models).

A generator writes the melody only; ``music.harmony`` chooses chords first and
``music.arrange`` builds the other parts around the melody afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from music.score import ChordEvent, Note
from music.spec import MusicSpec


@dataclass
class MelodyResult:
    notes: list[Note]
    latent: list[float] | None = None  # VAE latent code, when a VAE wrote it
    generator: str = "baseline"
    info: dict = field(default_factory=dict)  # e.g. candidates sampled, judge scores


class MelodyGenerator(Protocol):
    name: str

    def compose(self, spec: MusicSpec, chords: list[ChordEvent], seed: int) -> MelodyResult:
        """A new melody of ``spec.bars`` bars over ``chords``."""

    def fill_rhythm(
        self,
        spec: MusicSpec,
        chords: list[ChordEvent],
        rhythm: list[tuple[float, float]],
        seed: int,
    ) -> list[int]:
        """Pitches for a fixed rhythm of (start, duration) beats, e.g. sung syllables."""

    def continue_melody(
        self, spec: MusicSpec, chords: list[ChordEvent], notes: list[Note], extra_bars: int, seed: int
    ) -> list[Note]:
        """Notes for ``extra_bars`` more bars after ``notes`` (chords cover the whole piece)."""

    def variation(
        self, spec: MusicSpec, chords: list[ChordEvent], previous: MelodyResult, amount: float, seed: int
    ) -> MelodyResult:
        """A melody near ``previous``: similar but not identical."""
