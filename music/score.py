"""Score model independent of any MIDI library.

Times are in quarter-note beats, so a tempo change keeps every note where it is
musically and only the seconds change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Note:
    """One sounding note; ``lyric`` is the syllable sung on it, if any."""

    pitch: int
    start: float
    duration: float
    velocity: int = 80
    lyric: str | None = None

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class ChordEvent:
    """A chord symbol held from ``start`` for ``duration`` beats."""

    symbol: str
    root: int  # pitch class 0-11
    quality: str  # key of theory.CHORD_QUALITIES
    start: float
    duration: float


@dataclass(frozen=True)
class Section:
    name: str
    start_bar: int
    bars: int


@dataclass
class Track:
    """One part: a General MIDI program playing a role in the arrangement."""

    name: str
    program: int
    role: str  # melody, chords, bass, drums, pad, counter, accompaniment
    is_drum: bool = False
    notes: list[Note] = field(default_factory=list)
    volume: int = 100  # CC7
    pan: int = 64  # CC10
    reverb: int = 40  # CC91


@dataclass
class Score:
    """A whole piece: global attributes plus its tracks."""

    tempo_bpm: float
    key: str  # tonic spelling, e.g. "D", "F#", "Bb"
    mode: str  # "major", "minor", "dorian", ...
    time_signature: tuple[int, int]
    bars: int
    tracks: list[Track] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    chords: list[ChordEvent] = field(default_factory=list)
    title: str = "Tunesmith piece"

    @property
    def beats_per_bar(self) -> float:
        return beats_per_bar(self.time_signature)

    @property
    def total_beats(self) -> float:
        return self.bars * self.beats_per_bar

    @property
    def duration_s(self) -> float:
        return beats_to_seconds(self.total_beats, self.tempo_bpm)

    def track(self, role: str) -> Track | None:
        """First track with this role, or None."""
        return next((t for t in self.tracks if t.role == role), None)

    def copy(self) -> Score:
        """Deep enough copy: tracks and their note lists are new objects."""
        return replace(
            self,
            tracks=[replace(t, notes=list(t.notes)) for t in self.tracks],
            sections=list(self.sections),
            chords=list(self.chords),
        )


def beats_per_bar(time_signature: tuple[int, int]) -> float:
    """Quarter-note beats in one bar: 3/4 -> 3, 6/8 -> 3, 7/8 -> 3.5."""
    num, den = time_signature
    return num * 4.0 / den


def beats_to_seconds(beats: float, tempo_bpm: float) -> float:
    return beats * 60.0 / tempo_bpm


def parse_time_signature(text: str) -> tuple[int, int]:
    num, den = text.split("/")
    return int(num), int(den)

