"""Follow-ups that name instruments: every named part is added, kept, removed or swapped, and a mix
complaint or a question about a part never becomes an instrument swap."""

from __future__ import annotations

import pretty_midi
import pytest
from test_parser_instruments import quiet_chat

from assistant.parser import parse_message
from music.spec import InstrumentSpec, MusicSpec

GUITARS = set(range(24, 32))
BASSES = set(range(32, 40)) | {43}


def piece(*parts: tuple[int, str], drums: bool = False, style: str = "pop") -> MusicSpec:
    instruments = [InstrumentSpec.gm(p, r) for p, r in parts] + ([InstrumentSpec.drums()] if drums else [])
    return MusicSpec(tempo_bpm=100.0, key="C", mode="major", time_signature="4/4", bars=16, instruments=instruments,
                     drums=drums, style=style)


def edit(text: str, current: MusicSpec):
    return parse_message(text, current, use_embeddings=False)


def programs(spec: MusicSpec) -> list[int]:
    return [i.program for i in spec.instruments if not i.is_drum]


def as_list(value) -> list:
    return value if isinstance(value, list) else [] if value is None else [value]


POP = piece((0, "melody"), (25, "chords"), (33, "bass"))
ROCK = piece((29, "melody"), (27, "chords"), (34, "bass"), drums=True, style="rock")


# ---- adding several parts ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["加鼓和贝斯", "加贝斯和鼓"])
def test_adding_drums_and_bass_adds_both(text):
    p = edit(text, piece((0, "melody"), (25, "chords")))
    assert sorted(as_list(p.changes["add_part"])) == ["bass", "drums"]
    assert p.spec.drums and set(programs(p.spec)) & BASSES


def test_adding_a_part_the_piece_has_says_so_and_adds_the_rest():
    p = edit("加鼓和贝斯", POP)
    assert p.changes["add_part"] == "drums" and p.spec.drums
    assert programs(p.spec).count(33) == 1 and any("贝斯" in n for n in p.notes)


def test_adding_violin_and_cello_adds_both_and_the_cello_does_not_double_the_bass():
    p = edit("加个小提琴和大提琴", POP)
    assert as_list(p.changes["add_part"]) == ["counter", "counter"]
    assert {40, 42} <= set(programs(p.spec)) and 33 in programs(p.spec)


def test_add_a_violin_and_remove_the_guitar_does_both():
    p = edit("add a violin and remove the guitar", POP)
    assert p.changes["remove_part"] == "chords" and p.changes["add_part"] == "counter"
    assert 40 in programs(p.spec) and not set(programs(p.spec)) & GUITARS


def test_a_duet_with_cello_keeps_the_violin():
    p = edit("make it a duet with cello", piece((40, "melody")))
    assert "swap" not in p.changes and p.spec.melody_instrument().program == 40 and 42 in programs(p.spec)


# ---- keeping only some parts ---------------------------------------------------------------------


def test_keep_only_guitar_and_drums_keeps_every_guitar():
    p = edit("只保留吉他和鼓", ROCK)
    assert p.changes["remove_part"] == ["bass"] and programs(p.spec) == [29, 27] and p.spec.drums


def test_remove_the_accompaniment_keep_only_the_melody():
    spec = piece((0, "melody"), (25, "chords"), (33, "bass"), drums=True)
    p = edit("去掉所有伴奏，只留旋律", spec)
    assert sorted(p.changes["remove_part"]) == ["bass", "chords", "drums"]
    assert [i.program for i in p.spec.instruments] == [0] and not p.spec.drums


def test_only_piano_and_bass_drops_the_drums_and_the_sax():
    jazz = piece((65, "melody"), (0, "chords"), (32, "bass"), drums=True, style="jazz")
    p = edit("only piano and bass", jazz)
    assert "drums" in p.changes["remove_part"] and not p.spec.drums
    assert sorted(programs(p.spec)) == [0, 32] and p.spec.melody_instrument().program == 0


# ---- removing and swapping -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["lose the bass", "leave out the bass", "leave the bass out"])
def test_lose_the_bass_removes_it(text):
    p = edit(text, POP)
    assert p.intent == "edit" and p.changes == {"remove_part": "bass"} and programs(p.spec) == [0, 25]


def test_no_more_harp_removes_the_harp_and_never_the_cello():
    folk = piece((40, "melody"), (25, "chords"), (42, "bass"), style="folk")
    p = edit("no more harp", folk)
    assert "remove_part" not in p.changes and programs(p.spec) == [40, 25, 42]
    assert any("harp" in n for n in p.notes)
    p = edit("no more harp", piece((40, "melody"), (46, "chords"), (42, "bass")))
    assert p.changes["remove_part"] == "chords" and programs(p.spec) == [40, 42]


def test_the_guitar_should_be_a_harp_swaps_the_guitar():
    folk = piece((40, "melody"), (25, "chords"), (42, "bass"), style="folk")
    p = edit("the guitar should be a harp", folk)
    assert p.changes["swap"] == {"role": "chords", "program": 46, "name": p.changes["swap"]["name"]}
    assert programs(p.spec) == [40, 46, 42]


def test_guitar_to_ukulele_changes_every_guitar():
    p = edit("吉他换成尤克里里", piece((25, "melody"), (25, "chords"), style="folk"))
    assert sorted(s["role"] for s in as_list(p.changes["swap"])) == ["chords", "melody"]
    assert programs(p.spec) == [24, 24] and any("尤克里里" in n for n in p.notes)


# ---- mix complaints are volume changes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "current", "part", "louder"),
    [("the guitar is drowning out the violin", piece((40, "melody"), (25, "chords")), "chords", False),
     ("the strings are drowning out the melody", piece((0, "melody"), (48, "pad"), (33, "bass")), "pad", False),
     ("小提琴被吉他盖住了", piece((40, "melody"), (25, "chords")), "chords", False),
     ("the drums are drowning out the melody", ROCK, "drums", False),
     ("could the bass be a little softer and the cello a bit louder?",
      piece((42, "melody"), (0, "chords"), (32, "bass")), "bass", False),
     ("贝斯再重一点", piece((81, "melody"), (90, "chords"), (38, "bass"), drums=True, style="electronic"), "bass",
      True)],
)
def test_a_mix_complaint_moves_a_volume_and_swaps_nothing(text, current, part, louder):
    p = edit(text, current)
    assert p.intent == "edit" and "swap" not in p.changes, p.changes
    assert p.changes["volume"]["part"] == part and (p.changes["volume"]["db"] > 0) is louder
    assert [i.program for i in p.spec.instruments] == [i.program for i in current.instruments]


# ---- end to end: what the MIDI plays -------------------------------------------------------------


@pytest.fixture
def chat(tmp_path):
    return quiet_chat(tmp_path)


def midi(result) -> pretty_midi.PrettyMIDI:
    return pretty_midi.PrettyMIDI(result.files["midi"])


def midi_programs(result) -> list[int]:
    return [i.program for i in midi(result).instruments if not i.is_drum]


def test_add_drums_and_bass_writes_both_tracks(chat):
    chat.turn("s", "一首钢琴曲，有吉他伴奏", seed=1)
    r = chat.turn("s", "加鼓和贝斯")
    assert any(i.is_drum for i in midi(r).instruments) and set(midi_programs(r)) & BASSES


def test_keep_only_guitar_and_drums_keeps_the_rock_guitars(chat):
    chat.turn("s", "整一首燃一点的摇滚，160拍", seed=1)
    r = chat.turn("s", "只保留吉他和鼓")
    assert set(midi_programs(r)) == {29, 27} and any(i.is_drum for i in midi(r).instruments)


def test_drowning_out_turns_the_guitar_down_and_keeps_the_violin(chat):
    first = chat.turn("s", "a folk tune with violin melody and guitar", seed=1)
    r = chat.turn("s", "the guitar is drowning out the violin")
    assert midi_programs(r) == midi_programs(first) and 40 in midi_programs(r)

    def cc7(result) -> dict[int, int]:
        return {i.program: next(c.value for c in i.control_changes if c.number == 7)
                for i in midi(result).instruments if not i.is_drum}
    assert cc7(r)[25] < cc7(first)[25] and cc7(r)[40] == cc7(first)[40]
