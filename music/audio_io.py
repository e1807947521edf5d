"""Score audio: FluidSynth with a General MIDI SoundFont, or pretty_midi's sine synthesis.

midi2audio ignores fluidsynth's exit code and always writes WAV bytes, so we
check the SoundFont first, check the rendered file, normalise loudness
ourselves and encode OGG with soundfile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

SAMPLE_RATE = 32000  # enough for a preview; renders and encodes ~40 % faster than 44.1 kHz
TARGET_RMS_DBFS = -16.0
PEAK_CEILING = 0.95

SOUNDFONT_CANDIDATES = (
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/sounds/sf2/MuseScore_General.sf2",
    "/usr/share/sounds/sf3/MuseScore_General.sf3",
    "/usr/share/sounds/sf2/TimGM6mb.sf2",
)


@dataclass(frozen=True)
class AudioResult:
    path: Path
    wav_path: Path | None
    duration_s: float
    renderer: str  # "fluidsynth" or "pretty_midi"
    warning: str | None = None


def find_soundfont() -> Path | None:
    """TUNESMITH_SOUNDFONT wins; otherwise the first Debian GM SoundFont present."""
    env = os.environ.get("TUNESMITH_SOUNDFONT")
    for cand in ([env] if env else []) + list(SOUNDFONT_CANDIDATES):
        if cand and Path(cand).is_file() and Path(cand).stat().st_size > 1_000_000:
            return Path(cand)
    return None


def fluidsynth_available() -> bool:
    return shutil.which("fluidsynth") is not None and find_soundfont() is not None


def normalise(audio: np.ndarray, target_dbfs: float = TARGET_RMS_DBFS) -> np.ndarray:
    """Scale to a target RMS level with a peak ceiling; silence stays silence."""
    audio = audio.astype(np.float32)
    rms = float(np.sqrt(np.mean(np.square(audio)))) if audio.size else 0.0
    if rms < 1e-6:
        return audio
    gain = 10 ** (target_dbfs / 20.0) / rms
    peak = float(np.max(np.abs(audio))) * gain
    if peak > PEAK_CEILING:
        gain *= PEAK_CEILING / peak
    return audio * gain


def _render_fluidsynth(midi_path: Path, wav_path: Path, soundfont: Path) -> np.ndarray:
    cmd = ["fluidsynth", "-ni", "-g", "0.6", "-r", str(SAMPLE_RATE), "-F", str(wav_path), str(soundfont),
           str(midi_path)]
    proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    if proc.returncode != 0 or not wav_path.is_file() or wav_path.stat().st_size < 1000:
        raise RuntimeError(f"fluidsynth failed ({proc.returncode}): {proc.stderr.decode(errors='replace')[-300:]}")
    audio, _ = sf.read(str(wav_path), dtype="float32", always_2d=True)
    return audio


def _render_pretty_midi(midi_path: Path) -> np.ndarray:
    import pretty_midi

    pm = pretty_midi.PrettyMIDI(str(midi_path))
    mono = pm.synthesize(fs=SAMPLE_RATE)
    return np.stack([mono, mono], axis=1).astype(np.float32)


def _trim_to(audio: np.ndarray, seconds: float) -> np.ndarray:
    """Keep the piece plus a short reverb tail (at most 3 %), faded so it does not click."""
    tail_s = min(1.0, 0.03 * seconds)
    keep = min(len(audio), int((seconds + tail_s) * SAMPLE_RATE))
    audio = audio[:keep].copy()
    fade = min(len(audio), int(0.3 * SAMPLE_RATE))
    if fade:
        audio[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)[:, None]
    return audio


def write_audio(path: Path, audio: np.ndarray) -> Path:
    """Write WAV, OGG (Vorbis) or MP3 by suffix.

    Compressed formats are written one second at a time: libsndfile 1.2 crashes
    when a single call encodes more than about a minute of Vorbis.
    """
    suffix = path.suffix.lower()
    if suffix == ".wav":
        sf.write(str(path), audio, SAMPLE_RATE, subtype="PCM_16")
        return path
    fmt, subtype = ("MP3", "MPEG_LAYER_III") if suffix == ".mp3" else ("OGG", "VORBIS")
    with sf.SoundFile(str(path), "w", SAMPLE_RATE, audio.shape[1], format=fmt, subtype=subtype) as f:
        for i in range(0, len(audio), SAMPLE_RATE):
            f.write(audio[i : i + SAMPLE_RATE])
    return path


def render_audio(
    midi_path: str | Path, out_path: str | Path, duration_s: float | None = None, keep_wav: bool = False
) -> AudioResult:
    """Render ``midi_path`` to ``out_path`` (.ogg, .mp3 or .wav), loudness-normalised."""
    midi_path, out_path = Path(midi_path), Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    soundfont = find_soundfont()
    warning = None
    renderer = "fluidsynth"
    audio = None
    if shutil.which("fluidsynth") and soundfont:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                audio = _render_fluidsynth(midi_path, Path(tmp) / "render.wav", soundfont)
            except (RuntimeError, subprocess.TimeoutExpired, sf.LibsndfileError) as exc:
                warning = f"FluidSynth could not render ({exc}); using a simple built-in synthesiser instead."
    else:
        missing = "fluidsynth" if not shutil.which("fluidsynth") else "a General MIDI SoundFont"
        warning = f"{missing} is not installed, so the audio uses a simple built-in synthesiser (run `make setup`)."
    if audio is None:
        renderer = "pretty_midi"
        audio = _render_pretty_midi(midi_path)
    if duration_s is not None:
        audio = _trim_to(audio, duration_s)
    audio = normalise(audio)
    write_audio(out_path, audio)
    wav_path = None
    if keep_wav and out_path.suffix.lower() != ".wav":
        wav_path = write_audio(out_path.with_suffix(".wav"), audio)
    info = sf.info(str(out_path))
    if info.frames == 0:
        raise RuntimeError(f"audio encoder wrote an empty file: {out_path}")
    return AudioResult(out_path, wav_path, info.frames / info.samplerate, renderer, warning)
