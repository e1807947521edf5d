"""Audio, piano roll and MusicXML a user receives."""

from __future__ import annotations

import numpy as np
import pretty_midi
import pytest
import soundfile as sf
from music21 import converter

from assistant.compose import compose_score, export_score
from generators.baseline import BaselineGenerator
from music.audio_io import fluidsynth_available, normalise, render_audio
from music.midi_io import score_to_midi
from music.musicxml_io import score_to_musicxml
from music.spec import InstrumentSpec, MusicSpec


def _spec(**kw) -> MusicSpec:
    base = dict(tempo_bpm=96, key="G", mode="major", time_signature="4/4", bars=8,
                instruments=[InstrumentSpec.gm(73, "melody"), InstrumentSpec.gm(0, "chords"),
                             InstrumentSpec.gm(32, "bass")], drums=True)
    base.update(kw)
    return MusicSpec(**base)


@pytest.mark.skipif(not fluidsynth_available(), reason="fluidsynth or SoundFont missing")
def test_fluidsynth_audio_is_audible_and_as_long_as_the_midi(tmp_path):
    score = compose_score(_spec(), BaselineGenerator()).score
    midi = score_to_midi(score, tmp_path / "a.mid")
    res = render_audio(midi, tmp_path / "a.ogg", duration_s=score.duration_s)
    assert res.renderer == "fluidsynth" and res.warning is None
    audio, sr = sf.read(str(res.path))
    assert sf.info(str(res.path)).format == "OGG"
    midi_len = pretty_midi.PrettyMIDI(str(midi)).get_end_time()
    assert abs(len(audio) / sr - midi_len) / midi_len < 0.05
    rms_db = 20 * np.log10(np.sqrt(np.mean(audio**2)))
    assert rms_db > -30, "audio is near-silent"


def test_fallback_synth_when_fluidsynth_missing(tmp_path, monkeypatch):
    monkeypatch.setattr("music.audio_io.find_soundfont", lambda: None)
    score = compose_score(_spec(bars=2), BaselineGenerator()).score
    midi = score_to_midi(score, tmp_path / "a.mid")
    res = render_audio(midi, tmp_path / "a.ogg", duration_s=score.duration_s)
    assert res.renderer == "pretty_midi" and "SoundFont" in res.warning
    audio, _ = sf.read(str(res.path))
    assert np.abs(audio).max() > 0.05


def test_wav_on_request(tmp_path):
    score = compose_score(_spec(bars=2), BaselineGenerator()).score
    midi = score_to_midi(score, tmp_path / "a.mid")
    res = render_audio(midi, tmp_path / "a.wav", duration_s=score.duration_s)
    assert sf.info(str(res.path)).format == "WAV"


def test_normalise_hits_target_without_clipping():
    x = 0.01 * np.sin(np.linspace(0, 2000, 44100, dtype=np.float32))
    y = normalise(np.stack([x, x], axis=1))
    assert np.abs(y).max() <= 0.95 + 1e-6
    assert 20 * np.log10(np.sqrt(np.mean(y**2))) > -20
    assert not normalise(np.zeros((100, 2))).any()


def test_export_writes_every_file_and_png(tmp_path):
    score = compose_score(_spec(), BaselineGenerator()).score
    files = export_score(score, tmp_path)
    for p in (files.midi, files.audio, files.image, files.musicxml):
        assert p is not None and p.is_file() and p.stat().st_size > 500
    assert files.image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_musicxml_keeps_key_meter_and_chinese_lyrics(tmp_path, small_score):
    path = score_to_musicxml(small_score, tmp_path / "a.musicxml")
    parsed = converter.parse(str(path))
    flute = parsed.parts[0]
    assert flute.recurse().getElementsByClass("TimeSignature")[0].ratioString == "3/4"
    k = flute.recurse().getElementsByClass("Key")[0]
    assert (k.tonic.name, k.mode) == ("D", "minor")
    lyrics = [n.lyric for n in flute.recurse().notes]
    assert lyrics == ["明", "月", "光", "照"]
    assert [n.pitch.midi for n in flute.recurse().notes] == [62, 64, 65, 69]


def test_long_ogg_is_written_completely(tmp_path):
    """Two minutes of Vorbis in one call crashes libsndfile 1.2; blocks must not."""
    from music.audio_io import SAMPLE_RATE, write_audio

    t = np.arange(SAMPLE_RATE * 120, dtype=np.float32) / SAMPLE_RATE
    x = 0.3 * np.sin(2 * np.pi * 220 * t)
    path = write_audio(tmp_path / "long.ogg", np.stack([x, x], axis=1))
    info = sf.info(str(path))
    assert info.format == "OGG" and abs(info.frames / info.samplerate - 120) < 0.1


def test_sheet_music_engraves_on_worker_threads(tmp_path, small_score):
    """The app composes on worker threads; verovio must find its fonts there too."""
    from concurrent.futures import ThreadPoolExecutor

    from music.score_render import render_sheet_music

    xml = score_to_musicxml(small_score, tmp_path / "a.musicxml")
    with ThreadPoolExecutor(max_workers=3) as pool:
        outs = list(pool.map(lambda i: render_sheet_music(xml, tmp_path / f"s{i}.png"), range(3)))
    for out in outs:
        assert out.is_file() and out.stat().st_size > 1000
