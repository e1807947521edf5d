"""MusicSpec: what a request asks for, as a plain value object.

It is the contract between the parser (``assistant/``), the generators and the
CLI JSON (``to_dict``). Numbers are clamped to documented ranges by ``clamped``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from music.gm import GM_PROGRAMS
from music.score import beats_per_bar, parse_time_signature

TEMPO_RANGE = (20.0, 300.0)  # bpm
BARS_RANGE = (1, 128)
SUPPORTED_METERS = ("2/4", "3/4", "4/4", "5/4", "6/8", "7/8", "9/8", "12/8", "2/2", "3/8", "6/4")


@dataclass(frozen=True)
class InstrumentSpec:
    name: str
    program: int
    role: str = "melody"
    is_drum: bool = False

    @staticmethod
    def gm(program: int, role: str, name: str | None = None) -> InstrumentSpec:
        return InstrumentSpec(name or GM_PROGRAMS[program], program, role)

    @staticmethod
    def drums(name: str = "Drum Kit") -> InstrumentSpec:
        return InstrumentSpec(name, 0, "drums", True)


@dataclass(frozen=True)
class LyricLine:
    line: str
    syllables: tuple[str, ...]
    section: str = "verse"  # verse, chorus, bridge...: kept so a re-set song keeps its form


@dataclass
class MusicSpec:
    """Everything the generators need to write a piece."""

    tempo_bpm: float = 100.0
    key: str = "C"
    mode: str = "major"
    time_signature: str = "4/4"
    bars: int = 16
    instruments: list[InstrumentSpec] = field(default_factory=list)
    drums: bool = False
    mood: str = "neutral"
    valence: float = 0.0
    arousal: float = 0.0
    style: str = "pop"
    seed: int = 0
    lyrics: list[LyricLine] | None = None
    density: float = 0.5  # 0 sparse .. 1 busy melody
    register: float = 0.5  # 0 low .. 1 high melody
    accompany: bool = True  # False: only the listed instruments play ("solo violin", "just piano and drums")
    progression: list = field(default_factory=list)  # chords the user named, [interval from the tonic, quality]

    @property
    def meter(self) -> tuple[int, int]:
        return parse_time_signature(self.time_signature)

    @property
    def duration_s(self) -> float:
        return self.bars * beats_per_bar(self.meter) * 60.0 / self.tempo_bpm

    def melody_instrument(self) -> InstrumentSpec | None:
        return next((i for i in self.instruments if i.role == "melody"), None)

    def to_dict(self) -> dict:
        """The CLI JSON form (foundation contract)."""
        d = asdict(self)
        d["tempo_bpm"] = float(self.tempo_bpm)
        d["duration_s"] = round(self.duration_s, 3)
        d["instruments"] = [asdict(i) for i in self.instruments]
        d["lyrics"] = (
            None if self.lyrics is None
            else [{"line": ln.line, "syllables": list(ln.syllables), "section": ln.section} for ln in self.lyrics]
        )
        return d

    @staticmethod
    def from_dict(d: dict) -> MusicSpec:
        fields = {k: v for k, v in d.items() if k in MusicSpec.__dataclass_fields__}
        fields["instruments"] = [InstrumentSpec(**i) for i in d.get("instruments", [])]
        fields["progression"] = [[int(iv), str(q)] for iv, q in d.get("progression") or []]
        if d.get("lyrics") is not None:
            fields["lyrics"] = [LyricLine(x["line"], tuple(x["syllables"]), x.get("section", "verse"))
                                for x in d["lyrics"]]
        return MusicSpec(**fields)

    def with_(self, **changes) -> MusicSpec:
        return replace(self, **changes)


def clamp_spec(spec: MusicSpec) -> tuple[MusicSpec, list[str]]:
    """Clamp numbers to the documented ranges; returns the notes of what changed."""
    notes: list[str] = []
    tempo = float(spec.tempo_bpm)
    lo, hi = TEMPO_RANGE
    if not lo <= tempo <= hi:
        tempo = min(max(tempo, lo), hi)
        notes.append(f"tempo {spec.tempo_bpm:g} bpm is outside {lo:g}-{hi:g} bpm; using {tempo:g} bpm")
    bars = int(spec.bars)
    blo, bhi = BARS_RANGE
    if not blo <= bars <= bhi:
        bars = min(max(bars, blo), bhi)
        notes.append(f"{spec.bars} bars is outside {blo}-{bhi} bars; using {bars}")
    valence = min(max(float(spec.valence), -1.0), 1.0)
    arousal = min(max(float(spec.arousal), -1.0), 1.0)
    return replace(spec, tempo_bpm=round(tempo, 2), bars=bars, valence=valence, arousal=arousal), notes
