"""The pipeline from a spec to files: chords -> melody -> arrangement -> MIDI, audio, picture, MusicXML."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generators.base import MelodyGenerator, MelodyResult
from music.arrange import arrange
from music.audio_io import render_audio
from music.harmony import progression
from music.image_io import score_to_piano_roll
from music.midi_io import score_to_midi
from music.musicxml_io import score_to_musicxml
from music.score import Score
from music.spec import MusicSpec


@dataclass
class Composition:
    score: Score
    melody: MelodyResult


@dataclass
class ExportedFiles:
    midi: Path | None = None
    audio: Path | None = None
    musicxml: Path | None = None
    image: Path | None = None
    score: Path | None = None  # sheet-music rendering, when available
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, str | None]:
        def fmt(p: Path | None) -> str | None:
            return str(p.resolve()) if p else None

        return {"midi": fmt(self.midi), "audio": fmt(self.audio), "musicxml": fmt(self.musicxml),
                "image": fmt(self.image), "score": fmt(self.score)}


def default_generator() -> MelodyGenerator:
    """The best generator available (``TUNESMITH_GENERATOR``: auto, neural or baseline).

    "auto" is the neural one when its checkpoints load, else the rule-based baseline.
    """
    name = os.environ.get("TUNESMITH_GENERATOR", "auto")
    try:
        from generators.registry import load_generator
    except ImportError:
        name = "baseline"
    if name == "baseline":
        from generators.baseline import BaselineGenerator

        return BaselineGenerator()
    return load_generator(name)


def compose_score(spec: MusicSpec, generator: MelodyGenerator | None = None) -> Composition:
    """A new piece for ``spec`` (its ``seed`` makes it reproducible)."""
    generator = generator or default_generator()
    chords = progression(spec, spec.seed)
    melody = generator.compose(spec, chords, spec.seed)
    return Composition(arrange(spec, chords, melody.notes, spec.seed), melody)


def export_score(score: Score, out_dir: str | Path, stem: str = "piece", audio: bool = True,
                 musicxml: bool = True, image: bool = True, sheet: bool = True) -> ExportedFiles:
    """Write every file the chat shows; a failing optional format becomes a warning, never a crash.

    The audio render (a FluidSynth subprocess plus Vorbis encoding, both outside the
    GIL) runs on a worker thread while this thread draws the piano roll and engraves
    the sheet music, so a turn costs about the longer of the two, not their sum.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ExportedFiles(midi=score_to_midi(score, out_dir / f"{stem}.mid"))
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(render_audio, files.midi, out_dir / f"{stem}.ogg", score.duration_s) if audio else None
        if image:
            try:
                files.image = score_to_piano_roll(score, out_dir / f"{stem}.png")
            except Exception as exc:
                files.warnings.append(f"piano roll could not be drawn: {exc}")
        if musicxml:
            try:
                files.musicxml = score_to_musicxml(score, out_dir / f"{stem}.musicxml")
            except Exception as exc:
                files.warnings.append(f"MusicXML could not be written: {exc}")
            if files.musicxml and sheet:
                try:  # sheet music (verovio, PNG via resvg, else SVG) shown next to the piano roll
                    from music.score_render import render_sheet_music

                    files.score = render_sheet_music(files.musicxml, out_dir / f"{stem}.score.png")
                except Exception as exc:
                    files.warnings.append(f"sheet music could not be engraved: {exc}")
        if pending is not None:
            try:
                res = pending.result()
                files.audio = res.path
                if res.warning:
                    files.warnings.append(res.warning)
            except Exception as exc:  # the MIDI is always delivered even when audio fails
                files.warnings.append(f"audio could not be rendered: {exc}")
    return files
