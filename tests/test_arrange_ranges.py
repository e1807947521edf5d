"""Every part stays where its instrument can play, read back from the written MIDI and MusicXML."""

from __future__ import annotations

from pathlib import Path

import pretty_midi
import pytest
from music21 import converter

from generators.baseline import BaselineGenerator
from music import edit_lib
from music.arrange import arrange
from music.harmony import progression
from music.midi_io import score_to_midi
from music.musicxml_io import score_to_musicxml
from music.score import Note, Score, Section, Track
from music.spec import InstrumentSpec, MusicSpec

# Textbook sounding ranges (MIDI), written here independently of music/range_lib.py.
REAL = {0: (21, 108), 9: (72, 108), 32: (28, 67), 10: (60, 96), 12: (45, 96), 13: (65, 108), 25: (40, 88), 33: (28, 67),
        40: (55, 103), 41: (48, 91), 42: (36, 84), 43: (28, 67), 48: (28, 103), 56: (52, 84), 57: (40, 77),
        58: (28, 65), 60: (34, 77), 71: (50, 94), 72: (74, 108), 73: (60, 96), 107: (48, 88), 108: (55, 88)}


def _spec(style: str, parts: list[tuple[int, str]], key: str = "D", mode: str = "major", meter: str = "4/4",
          drums: bool = False) -> MusicSpec:
    return MusicSpec(tempo_bpm=100, key=key, mode=mode, time_signature=meter, bars=16, style=style, drums=drums,
                     instruments=[InstrumentSpec.gm(p, r) for p, r in parts], seed=1)


def _written(score: Score, tmp_path: Path) -> pretty_midi.PrettyMIDI:
    return pretty_midi.PrettyMIDI(str(score_to_midi(score, tmp_path / "out.mid")))


def _arranged(spec: MusicSpec) -> Score:
    chords = progression(spec, spec.seed)
    return arrange(spec, chords, BaselineGenerator().compose(spec, chords, spec.seed).notes, spec.seed)


def _outside(pm: pretty_midi.PrettyMIDI) -> list[str]:
    bad = []
    for inst in pm.instruments:
        if inst.is_drum or not inst.notes:
            continue
        lo, hi = REAL[inst.program]
        pitches = [n.pitch for n in inst.notes]
        if min(pitches) < lo or max(pitches) > hi:
            bad.append(f"{inst.name}: {min(pitches)}-{max(pitches)} outside {lo}-{hi}")
    return bad


@pytest.mark.parametrize(("style", "parts", "key", "mode", "meter"), [
    ("classical", [(40, "melody"), (40, "counter"), (41, "chords"), (42, "bass")], "D", "major", "4/4"),  # quartet
    ("pop", [(40, "melody"), (0, "chords"), (42, "bass")], "E", "minor", "4/4"),  # piano trio
    ("classical", [(0, "melody"), (42, "bass")], "A", "minor", "3/4"),  # cello and piano duet
    ("chinese", [(73, "melody"), (107, "chords"), (42, "bass")], "G", "major_pentatonic", "4/4"),
    ("pop", [(9, "melody")], "C", "major", "4/4"),  # glockenspiel and its own accompaniment
    ("pop", [(10, "melody")], "C", "major", "4/4"),  # music box
    ("pop", [(13, "melody")], "C", "major", "4/4"),  # xylophone
    ("pop", [(12, "melody")], "C", "major", "4/4"),  # marimba
    ("pop", [(108, "melody")], "C", "major", "4/4"),  # kalimba
    ("pop", [(107, "melody")], "C", "major", "4/4"),  # koto
    ("march", [(72, "melody")], "C", "major", "2/4"),  # piccolo with the march band (horn, trombone, tuba)
])
def test_every_part_is_written_inside_its_instruments_range(tmp_path, style, parts, key, mode, meter):
    pm = _written(_arranged(_spec(style, parts, key, mode, meter)), tmp_path)
    assert all(i.notes for i in pm.instruments)
    assert _outside(pm) == []


def test_a_cello_bass_line_moves_up_as_a_whole_not_note_by_note(tmp_path):
    """The bass line's shape survives on the cello: every interval between its notes is the bass's own."""
    bass_spec = _spec("chinese", [(73, "melody"), (107, "chords"), (33, "bass")], "G", "major_pentatonic")
    cello_spec = _spec("chinese", [(73, "melody"), (107, "chords"), (42, "bass")], "G", "major_pentatonic")
    bass = [n.pitch for n in _written(_arranged(bass_spec), tmp_path).instruments[2].notes]
    cello = [n.pitch for n in _written(_arranged(cello_spec), tmp_path).instruments[2].notes]
    assert min(bass) < 36 <= min(cello)
    assert [b - a for a, b in zip(bass, bass[1:], strict=False)] == [b - a for a, b in zip(cello, cello[1:],
                                                                                          strict=False)]


def _band() -> Score:
    sections = [Section("A", 0, 4), Section("B", 4, 4)]
    melody = Track("Clarinet", 71, "melody", notes=[Note(p, 2.0 * i, 2.0) for i, p in
                                                     enumerate([62, 64, 66, 67, 69, 67, 66, 64,
                                                                62, 61, 62, 64, 66, 64, 62, 62])])
    chords = Track("Piano", 0, "chords", notes=[Note(p, 4.0 * b, 3.6) for b in range(8) for p in (38, 50, 54, 57)])
    bass = Track("Acoustic Bass", 32, "bass", notes=[Note(31 + 2 * (b % 4), 4.0 * b, 3.6) for b in range(8)])
    return Score(90.0, "D", "major", (4, 4), 8, [melody, chords, bass], sections)


def test_down_an_octave_keeps_the_bass_and_the_chords_playable(tmp_path):
    """'低八度': the bass does not sink to G0 nor the chords to D1; the melody does go down."""
    pm = _written(edit_lib.transpose(_band(), -12), tmp_path)
    melody, chords, bass = pm.instruments
    assert min(n.pitch for n in bass.notes) >= 28
    assert min(n.pitch for n in chords.notes) >= 36
    assert [n.pitch for n in melody.notes][:8] == [50, 52, 54, 55, 57, 55, 54, 52]  # the first phrase moved down
    assert _outside(pm) == []


def test_a_swapped_instrument_plays_the_line_in_its_own_range(tmp_path):
    """Cello tune -> flute: the flute plays it an octave up, every interval kept."""
    score = _band()
    score.tracks[0] = Track("Cello", 42, "melody", notes=[Note(n.pitch - 12, n.start, n.duration)
                                                         for n in score.tracks[0].notes])
    flute = _written(edit_lib.swap_matching(score, "melody", 73, "Flute"), tmp_path).instruments[0]
    assert flute.program == 73
    assert [n.pitch for n in flute.notes] == [n.pitch + 12 for n in score.tracks[0].notes]


def test_an_added_cello_never_goes_below_c2(tmp_path):
    cello = Track("Cello", 42, "bass", notes=[Note(31, 0.0, 4.0), Note(33, 4.0, 4.0), Note(38, 8.0, 4.0)])
    pm = _written(edit_lib.add_track(_band(), cello), tmp_path)
    assert [n.pitch for n in pm.instruments[-1].notes] == [43, 45, 50]


def test_a_viola_is_written_in_alto_clef_and_a_cello_in_bass_clef(tmp_path):
    spec = _spec("classical", [(40, "melody"), (40, "counter"), (41, "chords"), (42, "bass")])
    parsed = converter.parse(str(score_to_musicxml(_arranged(spec), tmp_path / "q.musicxml")))
    clefs = {p.partName: p.recurse().getElementsByClass("Clef")[0] for p in parsed.parts}
    assert (clefs["Viola"].sign, clefs["Viola"].line) == ("C", 3)
    assert clefs["Cello"].sign == "F"
