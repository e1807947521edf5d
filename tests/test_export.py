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


@pytest.mark.parametrize(("key", "mode", "pitches", "names"),
                         [("D", "minor", [61, 70, 62], ["C#4", "B-4", "D4"]),  # raised 7th sharp, 6th flat
                          ("E", "major", [63, 68], ["D#4", "G#4"]),
                          ("Eb", "minor", [59, 62], ["C-4", "D4"])])  # Cb sits just below C4
def test_musicxml_spells_each_pitch_for_the_key(tmp_path, key, mode, pitches, names):
    from music.score import Note, Score, Track

    melody = Track("Flute", 73, "melody", notes=[Note(p, float(i), 1.0, 80) for i, p in enumerate(pitches)])
    score = Score(90.0, key, mode, (4, 4), 1, [melody])
    parsed = converter.parse(str(score_to_musicxml(score, tmp_path / "k.musicxml")))
    notes = list(parsed.parts[0].recurse().notes)
    assert [n.pitch.nameWithOctave for n in notes] == names
    assert [n.pitch.midi for n in notes] == pitches


def test_a_keyboard_accompaniment_gets_a_grand_staff(tmp_path):
    """Bass notes on a bass staff, chords on a treble staff, braced: no stack of ledger lines."""
    from music.score import Note, Score, Track

    melody = Track("Flute", 73, "melody", notes=[Note(74, 0.0, 3.0, 80)])
    keys = Track("Piano", 0, "chords", notes=[Note(38, 0.0, 1.0, 60)] + [Note(p, 1.0, 2.0, 60) for p in (62, 65, 69)])
    score = Score(90.0, "D", "minor", (3, 4), 1, [melody, keys])
    parsed = converter.parse(str(score_to_musicxml(score, tmp_path / "g.musicxml")))
    assert len(parsed.parts) == 3
    upper, lower = parsed.parts[1], parsed.parts[2]
    assert lower.recurse().getElementsByClass("Clef")[0].sign == "F"
    assert [p.midi for n in upper.recurse().notes for p in n.pitches] == [62, 65, 69]
    assert [n.pitch.midi for n in lower.recurse().notes] == [38]
    assert any(g.symbol == "brace" for g in parsed.recurse().getElementsByClass("StaffGroup"))


def test_guitar_and_bass_guitar_are_written_an_octave_up(tmp_path):
    from music.score import Note, Score, Track

    guitar = Track("Guitar", 25, "chords", notes=[Note(p, 0.0, 4.0, 70) for p in (40, 47, 52, 55)])
    bass = Track("Bass", 33, "bass", notes=[Note(28, 0.0, 4.0, 80)])
    parsed = converter.parse(str(score_to_musicxml(Score(90.0, "E", "minor", (4, 4), 1, [guitar, bass]),
                                                   tmp_path / "gb.musicxml")))
    clefs = [pt.recurse().getElementsByClass("Clef")[0] for pt in parsed.parts]
    assert [(c.sign, c.octaveChange) for c in clefs] == [("G", -1), ("F", -1)]
    assert sorted(p.midi for n in parsed.parts[0].recurse().notes for p in n.pitches) == [40, 47, 52, 55]


def test_articulated_notes_are_written_at_their_plain_values(tmp_path):
    """Notes played at 92 % read as halves, quarters and a whole, not double-dotted notes and sixteenth
    rests; a real rest stays; the MIDI keeps the played lengths."""
    from music.score import Note, Score, Track

    spans = [(0.0, 2.0, 67), (2.0, 1.0, 65), (3.0, 1.0, 64), (4.0, 2.0, 62), (8.0, 4.0, 60)]  # rest on beats 6-8
    melody = Track("Flute", 73, "melody", notes=[Note(p, t, 0.92 * d, 80, "la") for t, d, p in spans])
    score = Score(120.0, "C", "major", (4, 4), 3, [melody])
    parsed = converter.parse(str(score_to_musicxml(score, tmp_path / "a.musicxml")))
    notes = list(parsed.parts[0].recurse().notes)
    assert [n.quarterLength for n in notes] == [2.0, 1.0, 1.0, 2.0, 4.0]
    assert [r.quarterLength for r in parsed.parts[0].recurse().getElementsByClass("Rest")] == [2.0]
    assert all(n.duration.dots == 0 for n in notes)
    played = pretty_midi.PrettyMIDI(str(score_to_midi(score, tmp_path / "a.mid"))).instruments[0].notes
    assert [round((n.end - n.start) * 2, 2) for n in played] == [round(0.92 * d, 2) for _, d, _ in spans]


def test_a_drum_solo_is_written_on_a_percussion_staff(tmp_path):
    """'a drum solo': the page shows the beat, one bar per bar, kick low, snare in the middle, cymbals as x."""
    from music21 import note, percussion

    spec = MusicSpec(style="pop", bars=8, drums=True, instruments=[InstrumentSpec.drums()], seed=1)
    score = compose_score(spec, BaselineGenerator()).score
    assert [t.is_drum for t in score.tracks] == [True]
    parsed = converter.parse(str(score_to_musicxml(score, tmp_path / "d.musicxml")))
    assert len(parsed.parts) == 1
    kit = parsed.parts[0]
    assert kit.recurse().getElementsByClass("Clef")[0].sign == "percussion"
    assert len(kit.getElementsByClass("Measure")) == 8
    hits = [h for el in kit.recurse().notes
            for h in (el.notes if isinstance(el, percussion.PercussionChord) else [el])]
    assert hits and all(isinstance(h, note.Unpitched) for h in hits)
    places = {h.displayName for h in hits}
    assert {"F4", "C5"} <= places  # kick and snare
    assert any(h.notehead == "x" for h in hits)  # hats and cymbals


def test_later_systems_name_each_part_by_a_sensible_short_name(tmp_path):
    """Not music21's guesses from the program ('Samp' for a sawtooth lead, 'Elec b' for a synth bass)."""
    from music.score import Note, Score, Track
    from music.score_render import musicxml_to_svgs

    def part(name: str, program: int, role: str, pitch: int) -> Track:
        return Track(name, program, role, notes=[Note(pitch + (b % 3), 4.0 * b, 3.5) for b in range(24)])

    score = Score(120.0, "A", "minor", (4, 4), 24, [part("Lead 2 (sawtooth)", 81, "melody", 69),
                                                    part("Pad 3 (polysynth)", 90, "pad", 57),
                                                    part("Synth Bass 1", 38, "bass", 33),
                                                    part("Violin", 40, "counter", 64)])
    xml = score_to_musicxml(score, tmp_path / "s.musicxml")
    parsed = converter.parse(str(xml))
    assert [p.partAbbreviation for p in parsed.parts] == ["Saw Lead", "Poly Pad", "Syn. Bass", "Vln."]
    svg = musicxml_to_svgs(xml, max_pages=1)[0]
    assert "Saw Lead" in svg and "Samp" not in svg and "Elec b" not in svg
