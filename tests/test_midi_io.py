"""MIDI written by Tunesmith reads back with the same tempo, meter, key, programs, notes and lyrics."""

from __future__ import annotations

import mido
import pretty_midi
import pytest

from music.midi_io import midi_to_score, score_to_midi


def test_round_trip_with_pretty_midi(tmp_path, small_score):
    path = score_to_midi(small_score, tmp_path / "a.mid")
    pm = pretty_midi.PrettyMIDI(str(path), charset="utf-8")
    _, tempi = pm.get_tempo_changes()
    assert abs(tempi[0] - 70.0) < 0.01
    ts = pm.time_signature_changes[0]
    assert (ts.numerator, ts.denominator) == (3, 4)
    assert pretty_midi.key_number_to_key_name(pm.key_signature_changes[0].key_number) == "D minor"
    by_name = {i.name: i for i in pm.instruments}
    assert by_name["Flute"].program == 73 and not by_name["Flute"].is_drum
    assert by_name["Piano"].program == 0
    assert by_name["Drum Kit"].is_drum
    assert [n.pitch for n in by_name["Flute"].notes] == [62, 64, 65, 69]
    spb = 60.0 / 70.0
    assert abs(by_name["Flute"].notes[3].start - 3 * spb) < 1e-3
    assert [ly.text for ly in pm.lyrics] == ["明", "月", "光", "照"]


def test_mido_sees_meta_events_drum_channel_and_utf8_lyrics(tmp_path, small_score):
    path = score_to_midi(small_score, tmp_path / "a.mid")
    mid = mido.MidiFile(str(path), charset="utf-8")
    metas = [m for t in mid.tracks for m in t if m.is_meta]
    assert any(m.type == "set_tempo" and abs(mido.tempo2bpm(m.tempo) - 70) < 0.01 for m in metas)
    assert any(m.type == "time_signature" and (m.numerator, m.denominator) == (3, 4) for m in metas)
    assert any(m.type == "key_signature" and m.key == "Dm" for m in metas)
    assert "".join(m.text for m in metas if m.type == "lyrics") == "明月光照"
    names = {m.name for t in mid.tracks for m in t if m.type == "track_name"}
    assert {"Flute", "Piano", "Drum Kit"} <= names
    drum_channels = {m.channel for t in mid.tracks for m in t if m.type == "note_on"
                     and any(x.type == "track_name" and x.name == "Drum Kit" for x in t)}
    assert drum_channels == {9}
    ccs = {(m.control, m.value) for t in mid.tracks for m in t if m.type == "control_change"}
    assert any(c == 7 for c, _ in ccs) and any(c == 10 for c, _ in ccs) and any(c == 91 for c, _ in ccs)


def test_midi_to_score_reads_back_notes(tmp_path, small_score):
    path = score_to_midi(small_score, tmp_path / "a.mid")
    back = midi_to_score(path)
    assert back.time_signature == (3, 4)
    assert (back.key, back.mode) == ("D", "minor")
    flute = next(t for t in back.tracks if t.name == "Flute")
    assert [round(n.start, 3) for n in flute.notes] == [0.0, 1.0, 2.0, 3.0]
    assert flute.notes[0].lyric == "明"


def test_a_repeated_note_that_starts_early_is_still_heard(tmp_path):
    """Humanised timing can start a repeat before the last note ends: a synth would hear a 1-tick note."""
    from music.score import Note, Score, Track

    notes = [Note(59, 0.0, 1.0, 80), Note(59, 0.995, 1.5, 80), Note(62, 2.5, 1.0, 80)]
    score = Score(120.0, "G", "major", (3, 4), 2, [Track("Violin", 40, "melody", notes=notes)])
    pm = pretty_midi.PrettyMIDI(str(score_to_midi(score, tmp_path / "r.mid")))
    got = sorted(pm.instruments[0].notes, key=lambda n: n.start)
    assert len(got) == 3
    assert got[0].end < got[1].start  # the first B3 is released before the repeat sounds
    assert got[1].end - got[1].start == pytest.approx(0.75, abs=0.01)  # the repeat keeps its full length


def test_composed_pieces_have_no_swallowed_repeats(tmp_path):
    from assistant.compose import compose_score
    from assistant.parser import parse_message
    from generators.baseline import BaselineGenerator

    gen = BaselineGenerator()
    for i, text in enumerate(["a gentle waltz for violin and piano", "an irish reel on fiddle", "a jazz tune for sax"]):
        spec = parse_message(text, use_embeddings=False).spec.with_(seed=i)
        pm = pretty_midi.PrettyMIDI(str(score_to_midi(compose_score(spec, gen).score, tmp_path / f"{i}.mid")))
        for inst in pm.instruments:
            by_pitch: dict[int, list] = {}
            for n in inst.notes:
                by_pitch.setdefault(n.pitch, []).append(n)
            for same in by_pitch.values():
                same.sort(key=lambda n: n.start)
                assert all(a.end <= b.start or a.start == b.start for a, b in zip(same, same[1:], strict=False)), (
                    text, inst.name)
