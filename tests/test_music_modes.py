"""'Make it minor' changes what is heard whatever the old mode was: blues, pentatonic or modal pieces too."""

from __future__ import annotations

from pathlib import Path

import pretty_midi

from generators.baseline import BaselineGenerator
from music import edit_lib
from music.arrange import arrange
from music.harmony import progression
from music.midi_io import score_to_midi
from music.score import ChordEvent, Note, Score, Track
from music.spec import MusicSpec
from music.theory import chord_pcs, scale_pcs

A_MINOR = set(scale_pcs(9, "minor"))


def _pitched(score: Score, tmp_path: Path) -> dict[str, list[int]]:
    pm = pretty_midi.PrettyMIDI(str(score_to_midi(score, tmp_path / "m.mid")))
    return {i.name: [n.pitch for n in i.notes] for i in pm.instruments if not i.is_drum}


def _blues() -> Score:
    chords = [ChordEvent("A7", 9, "7", 0.0, 4.0), ChordEvent("D7", 2, "7", 4.0, 4.0),
              ChordEvent("E7", 4, "7", 8.0, 4.0)]
    comp = Track("Guitar", 27, "chords", notes=[Note(p, c.start + b, 0.9, 70) for c in chords for b in (0.0, 2.0)
                                               for p in sorted(48 + (pc - 48) % 12 for pc in chord_pcs(c.root,
                                                                                                     c.quality))])
    tune = Track("Sax", 65, "melody", notes=[Note(p, float(i), 0.9) for i, p in
                                             enumerate([69, 72, 73, 76, 74, 72, 69, 66, 69, 72, 71, 68])])
    return Score(70.0, "A", "blues", (4, 4), 3, [tune, comp], chords=chords)


def test_minor_on_a_blues_moves_the_chords_and_the_tune(tmp_path):
    before = _pitched(_blues(), tmp_path)
    out = edit_lib.change_mode(_blues(), "minor")
    after = _pitched(out, tmp_path)
    assert [c.symbol for c in out.chords] == ["Am7", "Dm7", "Em7"]
    assert all(p % 12 in A_MINOR for ps in after.values() for p in ps)  # no C#, F# or G# is left
    assert after["Guitar"] != before["Guitar"] and after["Sax"] != before["Sax"]
    assert after["Sax"] == [69, 72, 72, 76, 74, 72, 69, 65, 69, 72, 71, 67]  # C# -> C, F# -> F, G# -> G
    for c in out.chords:  # the comping plays the chord its symbol names
        assert {n.pitch % 12 for n in out.track("chords").notes if c.start <= n.start < c.start + c.duration} == \
            set(chord_pcs(c.root, c.quality))


def test_minor_on_an_arranged_blues_piece_is_audible_and_its_symbols_match_the_notes(tmp_path):
    spec = MusicSpec(tempo_bpm=66, key="A", mode="blues", time_signature="4/4", bars=12, style="blues",
                     instruments=[], seed=1)
    chords = progression(spec, 1)
    score = arrange(spec, chords, BaselineGenerator().compose(spec, chords, 1).notes, 1)
    before = _pitched(score, tmp_path)
    out = edit_lib.change_mode(score, "minor")
    after = _pitched(out, tmp_path)
    assert after != before
    harmony = [t.name for t in out.tracks if t.role in ("chords", "pad")]
    assert harmony and all(p % 12 in A_MINOR for name in harmony for p in after[name])
    assert all(set(chord_pcs(c.root, c.quality)) <= A_MINOR for c in out.chords)
    assert [c.symbol for c in out.chords] != [c.symbol for c in score.chords]


def test_major_on_a_minor_tune_keeps_its_leading_tone_below_the_tonic():
    """G# leading to A stays G# in A major (it used to land on A itself, flattening the cadence)."""
    tune = Track("Violin", 40, "melody", notes=[Note(p, float(i), 1.0) for i, p in enumerate([69, 72, 71, 68, 69])])
    out = edit_lib.change_mode(Score(100.0, "A", "minor", (4, 4), 2, [tune]), "major")
    assert [n.pitch for n in out.track("melody").notes] == [69, 73, 71, 68, 69]
