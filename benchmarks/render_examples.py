"""Render one example per style into ``examples/``: ``python -m benchmarks.render_examples``.

Each style gets ``examples/<style>.mid`` and a short ``examples/<style>.ogg`` (12 bars:
intro, A, ending) written with the style's defaults from ``prompts/styles.json``, key
D, seed 1, the best available melody generator. The OGG is encoded in blocks
(libsndfile 1.2.2 crashes on long single writes).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import soundfile as sf

from assistant.compose import compose_score
from music.audio_io import render_audio
from music.conditioning import STYLES
from music.midi_io import score_to_midi
from music.spec import MusicSpec

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def example_spec(style: str, bars: int = 12, seed: int = 1) -> MusicSpec:
    d = json.loads((ROOT / "prompts" / "styles.json").read_text(encoding="utf-8")).get(style, {})
    return MusicSpec(tempo_bpm=d.get("tempo_default", 100), key="D", mode=d.get("mode", "major"),
                     time_signature=d.get("meter", "4/4"), bars=bars, drums=d.get("drums", False), style=style,
                     seed=seed, valence=d.get("valence", 0.0), arousal=d.get("arousal", 0.0),
                     density=d.get("density", 0.5), register=d.get("register", 0.5))


def write_ogg(wav: Path, ogg: Path, block: int = 32768) -> Path:
    audio, rate = sf.read(str(wav), dtype="float32", always_2d=True)
    with sf.SoundFile(str(ogg), "w", rate, audio.shape[1], format="OGG", subtype="VORBIS",
                      compression_level=0.9) as f:
        for i in range(0, len(audio), block):
            f.write(audio[i:i + block])
    return ogg


def render_style(style: str, out_dir: Path, generator=None) -> tuple[Path, Path, str]:
    spec = example_spec(style)
    comp = compose_score(spec, generator)
    comp.score.title = f"Tunesmith example: {style}"
    midi = score_to_midi(comp.score, out_dir / f"{style}.mid")
    with tempfile.TemporaryDirectory() as tmp:
        res = render_audio(midi, Path(tmp) / "render.wav", duration_s=comp.score.duration_s)
        ogg = write_ogg(res.path, out_dir / f"{style}.ogg")
    return midi, ogg, comp.melody.generator


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=EXAMPLES)
    ap.add_argument("--styles", nargs="*", default=list(STYLES))
    ap.add_argument("--baseline", action="store_true", help="use the rule-based melody writer")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    generator = None
    if args.baseline:
        from generators.baseline import BaselineGenerator

        generator = BaselineGenerator()
    for style in args.styles:
        t0 = time.perf_counter()
        midi, ogg, gen = render_style(style, args.out, generator)
        print(f"{style:<11} {midi.name:<16} {ogg.name:<16} {sf.info(str(ogg)).duration:5.1f} s  melody: {gen}"
              f"  ({time.perf_counter() - t0:.1f} s)")


if __name__ == "__main__":
    main()
