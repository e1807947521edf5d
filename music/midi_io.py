"""Score <-> Standard MIDI File, via pretty_midi.

Writes tempo, time-signature and key-signature meta events, one named track per
part with its program, drums on channel 10, CC7/CC10/CC91 mix settings and UTF-8
lyric events (pretty_midi keeps lyrics on track 0, which karaoke players read).
"""

from __future__ import annotations

from pathlib import Path

import pretty_midi

from music.lyric_lib import karaoke_text
from music.mix_lib import separate_repeats
from music.score import Note, Score, Track, beats_per_bar
from music.theory import is_major_like, note_name_to_pc, spell_tonic


def key_to_midi_key_number(tonic: str, mode: str) -> int:
    """pretty_midi key number: 0-11 major, 12-23 minor.

    Church modes keep their tonic and take the major or minor flag by their
    third, so the file names the key a listener hears ("D dorian" -> D minor).
    """
    pc = note_name_to_pc(tonic)
    return pc if is_major_like(mode) else 12 + pc


def score_to_pretty_midi(score: Score) -> pretty_midi.PrettyMIDI:
    spb = 60.0 / score.tempo_bpm
    pm = pretty_midi.PrettyMIDI(initial_tempo=float(score.tempo_bpm), charset="utf-8")
    num, den = score.time_signature
    pm.time_signature_changes.append(pretty_midi.TimeSignature(num, den, 0.0))
    pm.key_signature_changes.append(pretty_midi.KeySignature(key_to_midi_key_number(score.key, score.mode), 0.0))
    for track in score.tracks:
        inst = pretty_midi.Instrument(program=track.program, is_drum=track.is_drum, name=track.name)
        for cc, value in ((7, track.volume), (10, track.pan), (91, track.reverb)):
            inst.control_changes.append(pretty_midi.ControlChange(cc, int(value), 0.0))
        for n in separate_repeats(track.notes):
            start = n.start * spb
            end = max(n.end * spb, start + 0.01)
            inst.notes.append(pretty_midi.Note(int(n.velocity), int(n.pitch), start, end))
            if n.lyric and track.role == "melody":
                pm.lyrics.append(pretty_midi.Lyric(karaoke_text(n.lyric), start))
        pm.instruments.append(inst)
    return pm


def score_to_midi(score: Score, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    score_to_pretty_midi(score).write(str(path))
    return path


def midi_to_score(path: str | Path) -> Score:
    """Read a MIDI file back into a Score (used by tests and for re-editing imports)."""
    pm = pretty_midi.PrettyMIDI(str(path), charset="utf-8")
    _, tempi = pm.get_tempo_changes()
    tempo = float(tempi[0]) if len(tempi) else 120.0
    spb = 60.0 / tempo
    ts = pm.time_signature_changes[0] if pm.time_signature_changes else None
    meter = (ts.numerator, ts.denominator) if ts else (4, 4)
    key, mode = "C", "major"
    if pm.key_signature_changes:
        kn = pm.key_signature_changes[0].key_number
        mode = "major" if kn < 12 else "minor"
        key = spell_tonic(kn % 12, mode)
    lyrics = {round(ly.time, 4): ly.text for ly in pm.lyrics}
    tracks = []
    for inst in pm.instruments:
        notes = [
            Note(n.pitch, n.start / spb, (n.end - n.start) / spb, n.velocity, lyrics.get(round(n.start, 4)))
            for n in inst.notes
        ]
        role = "drums" if inst.is_drum else "melody" if not tracks else "accompaniment"
        tracks.append(Track(inst.name or pretty_midi.program_to_instrument_name(inst.program), inst.program,
                            role, inst.is_drum, notes))
    end_beats = pm.get_end_time() / spb
    bars = max(1, round(end_beats / beats_per_bar(meter)))
    return Score(tempo, key, mode, meter, bars, tracks)
