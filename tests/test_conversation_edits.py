"""The pure score edits behind follow-ups (music/edit_lib.py), on a small score: no parser, no files."""

from __future__ import annotations

import pytest

from music import edit_lib
from music.score import Note, Track
from music.spec import InstrumentSpec


def pitched(score):
    return [(t.name, [n.pitch for n in t.notes]) for t in score.tracks if not t.is_drum]


def test_tempo_keeps_notes(small_score):
    out = edit_lib.with_tempo(small_score, 140.0)
    assert out.tempo_bpm == 140.0 and [t.notes for t in out.tracks] == [t.notes for t in small_score.tracks]
    assert small_score.tempo_bpm == 70.0  # the original is not touched


def test_transpose_moves_every_pitched_note_and_the_key_but_not_drums(small_score):
    out = edit_lib.transpose(small_score, 5)
    for (_, a), (_, b) in zip(pitched(small_score), pitched(out), strict=True):
        assert [p + 5 for p in a] == b
    assert out.track("drums").notes == small_score.track("drums").notes
    assert out.key == "G" and [c.symbol for c in out.chords] == ["Gm", "Cm"]
    assert not edit_lib.fits_midi_range(small_score, 6000) and edit_lib.fits_midi_range(small_score, 24)


def test_minor_to_major_keeps_contour(small_score):
    out = edit_lib.change_mode(small_score, "major")
    a = [n.pitch for n in small_score.track("melody").notes]
    b = [n.pitch for n in out.track("melody").notes]
    assert b == [62, 64, 66, 69]  # F -> F#, the third of D major
    assert [(y > x) - (y < x) for x, y in zip(a, a[1:], strict=False)] == \
           [(y > x) - (y < x) for x, y in zip(b, b[1:], strict=False)]
    assert out.mode == "major" and out.chords[0].symbol == "D"


def test_to_minor_renames_coloured_chords_by_their_new_notes(small_score):
    from dataclasses import replace

    from music.score import ChordEvent
    from music.theory import chord_pcs

    major = replace(small_score.copy(), key="G", mode="major_pentatonic",
                    chords=[ChordEvent("Gadd9", 7, "add9", 0.0, 4.0), ChordEvent("Dsus2", 2, "sus2", 4.0, 4.0)])
    out = edit_lib.change_mode(major, "minor")
    assert [c.symbol for c in out.chords] == ["Gm", "Dm"]
    g_minor = {7, 9, 10, 0, 2, 3, 5}
    assert all(set(chord_pcs(c.root, c.quality)) <= g_minor for c in out.chords)  # no B natural left


def test_swap_remove_and_add_touch_only_their_part(small_score):
    swapped = edit_lib.swap_matching(small_score, "melody", 40, "Violin")
    assert swapped.track("melody").program == 40 and swapped.track("melody").notes == \
        small_score.track("melody").notes
    assert swapped.track("chords").program == 0
    no_drums = edit_lib.remove_matching(small_score, "percussion")
    assert [t.role for t in no_drums.tracks] == ["melody", "chords"]
    again = edit_lib.add_track(no_drums, Track("Kit", 0, "drums", True, []))
    assert [t.role for t in again.tracks] == ["melody", "chords", "drums"]
    assert edit_lib.add_track(small_score, Track("Kit", 0, "drums", True, [])).tracks.__len__() == 3


@pytest.mark.parametrize("what, expected", [
    ("drums", ("drums", 0, "Drum Kit")), ("counter-melody", ("counter", 71, "Clarinet")),
    ("strings", ("pad", 48, "String Ensemble 1")), ("bass", ("bass", 33, "Electric Bass (finger)")),
    ("violin", ("counter", 40, "Violin")), ("kazoo-o-phone", None),
    ({"role": "counter", "program": 73, "name": "Flute"}, ("counter", 73, "Flute")),
])
def test_part_to_add(what, expected):
    assert edit_lib.part_to_add(what) == expected


def test_phrase_ends_and_trimming(small_score):
    assert edit_lib.phrase_end_bar(16, 8) == 8 and edit_lib.phrase_end_bar(16, 11) == 8
    assert edit_lib.phrase_end_bar(3, 1) == 1 and edit_lib.phrase_end_bar(6, 3) == 2
    short = edit_lib.trim_bars(small_score, 1)
    assert short.bars == 1 and all(n.end <= 3.0 for t in short.tracks for n in t.notes)


def test_nearest_shift_and_instrument_matching():
    assert edit_lib.nearest_shift("D", "E") == 2 and edit_lib.nearest_shift("C", "A") == -3
    assert edit_lib.nearest_shift("C", "F#") == 6
    assert edit_lib.instrument_matches(InstrumentSpec.drums(), "percussion")
    assert edit_lib.instrument_matches(InstrumentSpec("Violin", 40, "counter"), "strings")
    assert not edit_lib.instrument_matches(InstrumentSpec("Flute", 73, "melody"), "bass")


def test_a_strong_ending_on_a_two_bar_piece_in_three_four(small_score):
    from music import ending_lib

    out = ending_lib.shape_ending(small_score, "strong")
    mel0, mel1 = small_score.track("melody").notes, out.track("melody").notes
    assert mel1[0] == mel0[0]  # the first beat is the ending's start, unchanged
    assert [n.velocity for n in mel1[1:]] > [n.velocity for n in mel0[1:]]
    chords = out.track("chords").notes
    assert 38 in [n.pitch for n in chords if n.start == 3.0]  # the final chord's low D doubled an octave down
    drums = out.track("drums").notes
    assert {(n.pitch, n.start) for n in drums} >= {(36, 3.0), (49, 3.0)}  # kick and crash on the last downbeat
    assert any(n.pitch in (45, 47, 50, 41, 38) and 2.0 <= n.start < 3.0 for n in drums)  # a one-beat fill
    assert small_score.track("drums").notes == [Note(36, b * 1.0, 0.25, 100) for b in range(6)]  # input untouched


def test_a_soft_ending_quietens_and_drops_the_kit(small_score):
    from music import ending_lib

    out = ending_lib.shape_ending(small_score, "soft")
    assert out.track("melody").notes[-1].velocity < 60
    assert [n.pitch for n in out.track("drums").notes if n.start >= 3.0] == [51]
    with pytest.raises(ValueError):
        ending_lib.shape_ending(small_score, "louder")


def test_a_counter_melody_moves_within_its_instruments_range_and_never_doubles_the_tune():
    from music.counter_lib import counter_melody, instrument_range
    from music.score import ChordEvent as Chord

    melody = [Note(p, i * 1.0, 1.0, 80) for i, p in enumerate([60, 62, 64, 65, 67, 65, 64, 62] * 2)]
    chords = [Chord("C", 0, "maj", 0.0, 4.0), Chord("F", 5, "maj", 4.0, 4.0), Chord("G", 7, "maj", 8.0, 4.0),
              Chord("C", 0, "maj", 12.0, 4.0)]
    for program in (73, 40, 9):  # flute, violin, glockenspiel
        line = counter_melody(melody, chords, 16.0, 4.0, program)
        lo, hi = instrument_range(program)
        assert line and all(lo <= n.pitch <= hi for n in line)
        assert len({n.pitch for n in line}) >= 3  # a line, not a drone
        for n in line:
            assert all(n.pitch != m.pitch for m in melody if m.start <= n.start < m.start + m.duration)
