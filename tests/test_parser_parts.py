"""Follow-ups about parts, round two: loudness complaints, removals, accompaniment edits, naming one of
several parts, beat genres that keep their kit, instruments the vocabulary lacked and the wording of the
notes. Each test reads what a user gets: the parsed changes, or the MIDI of a chat turn."""

from __future__ import annotations

import pretty_midi
import pytest
from test_parser_instruments import quiet_chat
from test_parser_instruments_edits import edit, piece

POP_WITH_DRUMS = piece((0, "melody"), (25, "chords"), (33, "bass"), drums=True)
QUIET_PIANO = piece((0, "melody"), (0, "chords"), style="classical")


@pytest.fixture
def chat(tmp_path):
    return quiet_chat(tmp_path)


def midi(result) -> pretty_midi.PrettyMIDI:
    return pretty_midi.PrettyMIDI(result.files["midi"])


def cc7(result) -> dict[tuple[int, bool], int]:
    """The CC7 volume of each track, keyed by (program, is_drum)."""
    return {(i.program, i.is_drum): next((c.value for c in i.control_changes if c.number == 7), 100)
            for i in midi(result).instruments}


# ---- 1. loudness complaints ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "part"), [
    ("鼓声音太大了", "drums"), ("鼓太大声了", "drums"), ("鼓的声音太大", "drums"),
    ("钢琴声音太大了", "melody"), ("吉他太大声了", "chords"), ("低音声音太大了", "bass"), ("低音太闷了", "bass"),
])
def test_a_part_that_is_too_loud_is_turned_down_and_nothing_is_swapped(text, part):
    p = edit(text, POP_WITH_DRUMS)
    assert p.intent == "edit" and set(p.changes) == {"volume"}, p.changes
    assert p.changes["volume"]["part"] == part and p.changes["volume"]["db"] < 0
    assert p.spec.instruments == POP_WITH_DRUMS.instruments


@pytest.mark.parametrize("text", ["鼓声音太小了", "鼓太小声了", "听不见鼓"])
def test_a_part_that_is_too_quiet_is_turned_up(text):
    p = edit(text, POP_WITH_DRUMS)
    assert p.changes["volume"]["part"] == "drums" and p.changes["volume"]["db"] > 0


@pytest.mark.parametrize("text", ["鼓声音太大了", "鼓太大声了"])
def test_too_loud_drums_on_a_piece_without_drums_adds_none_and_says_so(text):
    p = edit(text, QUIET_PIANO)
    assert not p.spec.drums and "add_part" not in p.changes and "drums" not in p.changes
    assert any("没有鼓" in n for n in p.notes)


def test_guitar_too_loud_turns_the_guitar_down_in_the_midi_and_keeps_the_melody(chat):
    first = chat.turn("s", "来首流行歌，要有鼓", seed=1)
    r = chat.turn("s", "吉他太大声了")
    before, after = cc7(first), cc7(r)
    assert set(after) == set(before)  # the same instruments: no swap
    guitar = next(k for k in before if k[0] in range(24, 32) and not k[1])
    assert after[guitar] < before[guitar]
    assert all(after[k] == before[k] for k in before if k != guitar)


def test_too_loud_drums_without_drums_writes_no_new_version(chat):
    chat.turn("s", "一首安静的钢琴曲", seed=1)
    r = chat.turn("s", "鼓声音太大了")
    assert r.version == 1 and "没有鼓" in r.reply
