"""MIDI written by Tunesmith reads back with the same tempo, meter, key, programs, notes and lyrics."""

from __future__ import annotations

import mido
import pretty_midi

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
