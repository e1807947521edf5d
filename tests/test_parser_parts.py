"""Follow-ups about parts, round two: loudness complaints, removals, accompaniment edits, naming one of
several parts, beat genres that keep their kit, instruments the vocabulary lacked and the wording of the
notes. Each test reads what a user gets: the parsed changes, or the MIDI of a chat turn."""

from __future__ import annotations

import pretty_midi
import pytest
from test_parser_instruments import quiet_chat
from test_parser_instruments_edits import BASSES, as_list, edit, piece, programs

from assistant.parse_instruments import find_instruments, kit_notes, listed_band

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


# ---- 2. removing parts ---------------------------------------------------------------------------

WALTZ = piece((0, "melody"), (48, "pad"), (32, "bass"), style="waltz")
TECHNO = piece((81, "melody"), (90, "chords"), (38, "bass"), drums=True, style="electronic")


@pytest.mark.parametrize("text", ["把鼓去了", "鼓去了", "鼓删了", "鼓别要了"])
def test_everyday_ways_to_drop_the_drums_drop_them(text):
    p = edit(text, POP_WITH_DRUMS)
    assert p.changes == {"remove_part": "drums"} and not p.spec.drums


@pytest.mark.parametrize("text", ["把鼓去了", "鼓删了"])
def test_dropping_drums_from_a_piece_without_drums_never_adds_them(text):
    p = edit(text, WALTZ)
    assert not p.spec.drums and not p.changes and any("鼓" in n for n in p.notes)


def test_no_melody_just_drums_and_bass_keeps_those_two():
    p = edit("no melody, just drums and bass", TECHNO)
    assert sorted(as_list(p.changes["remove_part"])) == ["chords", "melody"] and "swap" not in p.changes
    assert programs(p.spec) == [38] and p.spec.drums


@pytest.mark.parametrize("text", ["a rock song minus the bass guitar", "a rock song without bass guitar",
                                  "a rock song, no bass guitar"])
def test_a_rock_song_without_the_bass_guitar_has_no_bass(text):
    spec = edit(text, None).spec
    assert spec.style == "rock" and not set(programs(spec)) & BASSES and spec.drums


def test_just_the_drums_then_bring_back_the_bass_plays_the_bass_again(chat):
    chat.turn("s", "an electronic dance track", seed=1)
    r = chat.turn("s", "no melody, just drums and bass")
    assert {(i.program, i.is_drum) for i in midi(r).instruments} == {(38, False), (0, True)}
    chat.turn("s", "just the drums")
    r = chat.turn("s", "bring back the bass")
    assert "bass" in r.reply and {i.program for i in midi(r).instruments if not i.is_drum} == {38}


# ---- 3. accompaniment edits ----------------------------------------------------------------------

SONG = piece((53, "melody"), (0, "chords"), (25, "chords"), (33, "bass"), drums=True)
POP = piece((0, "melody"), (25, "chords"), (33, "bass"), drums=True)


def melody_program(spec) -> int:
    return spec.melody_instrument().program


def test_piano_accompaniment_on_a_song_rewrites_the_accompaniment_and_keeps_the_voice():
    p = edit("換成鋼琴伴奏", SONG)
    assert "swap" not in p.changes and p.changes == {"remove_part": "chords", "add_part": "chords"}
    assert melody_program(p.spec) == 53 and [i.program for i in p.spec.instruments if i.role == "chords"] == [0]


@pytest.mark.parametrize(("text", "program"), [("换成钢琴伴奏", 0), ("伴奏用古筝", 107), ("伴奏换成钢琴", 0)])
def test_naming_the_accompaniment_swaps_the_accompaniment_not_the_melody(text, program):
    p = edit(text, POP)
    assert p.changes["swap"]["role"] == "chords" and p.changes["swap"]["program"] == program
    assert melody_program(p.spec) == 0


def test_simpler_piano_accompaniment_never_swaps_the_violin_solo():
    p = edit("钢琴伴奏简单点", piece((40, "melody"), (0, "chords")))
    assert "swap" not in p.changes and melody_program(p.spec) == 40


@pytest.mark.parametrize("text", ["来点弦乐铺底", "harmonize it with strings"])
def test_a_string_pad_is_added_under_the_tune(text):
    p = edit(text, POP)
    assert p.changes == {"add_part": "pad"} and melody_program(p.spec) == 0
    assert [i.program for i in p.spec.instruments if i.role == "pad"] == [48]


def test_strumming_guitar_takes_the_accompaniment():
    p = edit("用吉他扫弦", piece((0, "melody"), (0, "chords"), (33, "bass")))
    assert p.changes["swap"] == {"role": "chords", "program": 25, "name": "Acoustic Guitar (steel)"}
    assert melody_program(p.spec) == 0


def test_now_a_guitar_after_adding_parts_adds_a_guitar():
    p = edit("now a guitar", piece((0, "melody"), (33, "bass"), drums=True))
    assert p.changes == {"add_part": "chords"} and melody_program(p.spec) == 0 and 25 in programs(p.spec)


@pytest.mark.parametrize(("text", "current", "role", "program"), [
    ("actually no piano, a flute", piece((40, "melody"), (0, "chords")), "chords", 73),
    ("and the guitar with a banjo", piece((21, "melody"), (25, "chords")), "chords", 105),
    ("the strings should be brass", piece((48, "melody"), (0, "chords"), drums=True), "melody", 61),
])
def test_elliptical_swaps_replace_the_named_part(text, current, role, program):
    p = edit(text, current)
    assert p.changes["swap"]["role"] == role and p.changes["swap"]["program"] == program
    assert "remove_part" not in p.changes and "add_part" not in p.changes


def test_piano_accompaniment_on_a_sung_song_keeps_the_voice_in_the_midi(chat):
    chat.turn("s", "為這段歌詞譜曲：\n小兔子蹦蹦跳\n跳到山坡上\n山坡上有花\n花兒紅又香", seed=1)
    r = chat.turn("s", "換成鋼琴伴奏")
    pitched = {i.program for i in midi(r).instruments if not i.is_drum and i.notes}
    assert 53 in pitched and 0 in pitched and not pitched & set(range(24, 32))


@pytest.mark.parametrize("text", ["用尼龙弦吉他", "use a nylon guitar"])
def test_a_nylon_guitar_changes_every_guitar_and_not_the_piano_tune(text):
    p = edit(text, piece((25, "melody"), (25, "chords"), (33, "bass")))
    assert sorted(s["role"] for s in as_list(p.changes["swap"])) == ["chords", "melody"] and programs(p.spec) == [24, 24, 33]
    p = edit(text, POP)
    assert p.changes["swap"] == {"role": "chords", "program": 24, "name": "Acoustic Guitar (nylon)"}
    assert melody_program(p.spec) == 0


# ---- 4. naming one of several parts --------------------------------------------------------------

ROCK_BAND = piece((29, "melody"), (27, "chords"), (34, "bass"), drums=True, style="rock")
QUARTET = piece((40, "melody"), (40, "counter"), (41, "chords"), (42, "bass"), style="classical")


@pytest.mark.parametrize(("text", "current", "role", "program"), [
    ("now swap the lead guitar for a saxophone", ROCK_BAND, "melody", 65),
    ("swap the rhythm guitar for a piano", ROCK_BAND, "chords", 0),
    ("change the first violin to an oboe", QUARTET, "melody", 68),
    ("replace the second violin with a flute", QUARTET, "counter", 73),
    ("把第二小提琴换成长笛", QUARTET, "counter", 73),
])
def test_naming_one_of_several_parts_swaps_only_that_one(text, current, role, program):
    p = edit(text, current)
    assert p.changes["swap"] == {"role": role, "program": program, "name": p.changes["swap"]["name"]}
    assert programs(p.spec).count(program) == 1


def test_the_guitars_are_too_loud_turns_every_guitar_down():
    p = edit("the guitars are too loud", ROCK_BAND)
    moves = [p.changes["volume"], *p.changes["volume"]["also"]]
    assert sorted(m["program"] for m in moves) == [27, 29] and all(m["db"] < 0 for m in moves)
    assert "also" not in edit("the guitar is too loud", ROCK_BAND).changes["volume"]


def test_the_first_violin_louder_moves_that_violin_only():
    p = edit("make the first violin louder", QUARTET)
    assert p.changes["volume"] == {"part": "melody", "db": 6.0}


def test_lead_guitar_to_sax_and_guitars_quieter_in_the_midi(chat):
    first = chat.turn("s", "a rock song", seed=1)
    r = chat.turn("s", "now swap the lead guitar for a saxophone")
    pitched = [i.program for i in midi(r).instruments if not i.is_drum]
    assert pitched.count(65) == 1 and 27 in pitched and 29 not in pitched
    chat.turn("s", "undo")
    r = chat.turn("s", "the guitars are too loud")
    before, after = cc7(first), cc7(r)
    assert after[(29, False)] < before[(29, False)] and after[(27, False)] < before[(27, False)]
    assert after[(34, False)] == before[(34, False)]


def test_first_violin_to_oboe_keeps_the_second_violin_in_the_midi(chat):
    chat.turn("s", "a string quartet", seed=1)
    r = chat.turn("s", "change the first violin to an oboe")
    assert sorted(i.program for i in midi(r).instruments) == [40, 41, 42, 68]


# ---- 5. beat genres with named instruments; a list with no genre is the band ---------------------


@pytest.mark.parametrize("text", [
    "a reggaeton beat with synth and bass", "funk with slap bass and horns", "techno with synth bass and pads",
    "hip hop with piano and bass", "a rock song with guitar and bass", "1990s eurodance with synths",
    "a jazzy swing tune with clarinet and trombone", "摇滚，吉他和贝斯",
])
def test_a_beat_genre_with_named_instruments_keeps_its_drum_kit(text):
    spec = edit(text, None).spec
    assert spec.drums and any(i.is_drum for i in spec.instruments)


@pytest.mark.parametrize("text", ["funk with slap bass and horns, no drums", "a rock song but don't add drums",
                                  "a lullaby, rock-a-bye baby"])
def test_refused_drums_and_a_rocking_lullaby_have_no_kit(text):
    assert not edit(text, None).spec.drums


@pytest.mark.parametrize(("text", "style", "band"), [
    ("waltz for a flute and a clarinet in B flat major", "waltz", True), ("a victory theme with brass and drums", None, True),
    ("a sunrise piece with strings and oboe", None, True), ("funk with slap bass and horns", "funk", False),
    ("an acoustic guitar folk song with drums", "folk", False), ("a pop song on piano", "pop", False),
])
def test_a_list_of_instruments_with_no_band_genre_is_the_whole_band(text, style, band):
    assert listed_band(find_instruments(text), style) is band


def test_strings_and_oboe_the_oboe_sings_over_the_strings_and_nothing_is_added(chat):
    spec = edit("a sunrise piece with strings and oboe", None).spec
    assert [(i.program, i.role) for i in spec.instruments] == [(68, "melody"), (48, "pad")]
    r = chat.turn("s", "a sunrise piece with strings and oboe", seed=1)
    assert {i.program for i in midi(r).instruments if not i.is_drum} == {68, 48}


def test_a_jig_on_fiddle_and_bodhran_plays_the_bodhran_on_the_kit_and_says_so():
    found = find_instruments("a happy jig on fiddle and bodhran")
    assert found.kit_stand_ins == ("bodhran",) and [n.program for n in found.named] == [110]
    assert edit("a happy jig on fiddle and bodhran", None).spec.drums
    assert "bodhran" in kit_notes(found, "en")[0] and "鼓组" in kit_notes(found, "zh")[0]


# ---- 6. instruments the vocabulary lacked --------------------------------------------------------


@pytest.mark.parametrize(("text", "program", "word"), [
    ("埙，很苍凉的感觉", 79, "埙"), ("三弦，说书那种感觉", 106, "三弦"), ("京胡，京剧风格", 110, "京胡"),
    ("冬不拉，新疆风情", 24, "冬不拉"), ("巴乌独奏", 71, "巴乌"),
])
def test_a_chinese_instrument_without_a_patch_gets_a_stand_in_and_a_note(text, program, word):
    p = edit(text, None)
    assert p.intent == "compose" and p.spec.melody_instrument().program == program
    assert any(n.startswith(word) for n in p.notes)


def test_whistling_is_the_general_midi_whistle():
    assert edit("a carefree whistling tune", None).spec.melody_instrument().program == 78
    p = edit("add some whistling", piece((0, "melody"), (0, "chords")))
    assert p.changes == {"add_part": "counter"} and 78 in programs(p.spec)


@pytest.mark.parametrize(("text", "word"), [("add handclaps", "handclaps"), ("and a shaker", "shaker"),
                                            ("instead of cajon use congas", "congas"), ("加点锣鼓", "锣鼓")])
def test_percussion_on_a_piece_with_drums_says_the_kit_plays_it(text, word):
    p = edit(text, POP_WITH_DRUMS)
    assert not p.changes and p.notes and word in p.notes[0] and "already is that way" not in p.notes[0]
    assert all("cajon" not in n for n in p.notes)


@pytest.mark.parametrize(("text", "word"), [("add handclaps", "handclaps"), ("add castanets", "castanets"),
                                            ("加点锣鼓", "锣鼓"), ("加点锣", "锣")])
def test_percussion_on_a_piece_without_drums_adds_the_kit_with_a_note(text, word):
    p = edit(text, QUIET_PIANO)
    assert p.changes == {"add_part": "drums"} and any(word in n for n in p.notes)


def test_more_percussion_on_a_piece_with_drums_says_the_kit_is_there():
    p = edit("加点打击乐", POP_WITH_DRUMS)
    assert not p.changes and p.notes == ["已经有鼓组声部了，所以没有重复加入"]


def test_violin_to_erhu_says_the_erhu_is_the_violin_sound():
    p = edit("小提琴换成二胡", piece((40, "melody")))
    assert not p.changes and p.notes[0].startswith("二胡")


# ---- 7. wording of the notes ---------------------------------------------------------------------


@pytest.mark.parametrize(("text", "word", "gm"), [("唢呐独奏，喜庆", "唢呐", "Shanai"), ("扬琴曲", "扬琴", "Dulcimer")])
def test_a_stand_in_with_the_same_chinese_name_is_said_plainly(text, word, gm):
    note = next(n for n in edit(text, None).notes if n.startswith(word))
    assert gm in note and "没有通用MIDI音色" not in note and f"改用{word}" not in note


def test_the_melody_moving_to_another_part_names_it_in_chinese():
    p = edit("钢琴不要了", POP)
    assert p.changes["swap"]["program"] == 25 and any("钢弦吉他" in n for n in p.notes)
    assert not any("Acoustic" in n for n in p.notes)


# ---- one part an octave up or down ---------------------------------------------------------------

DUO = piece((40, "melody"), (0, "chords"))
TUBA_BAND = piece((16, "melody"), (65, "counter"), (58, "bass"), drums=True, style="jazz")


@pytest.mark.parametrize(("text", "current", "octave"), [
    ("can the violin play an octave higher?", DUO, {"part": "melody", "program": 40, "octaves": 1}),
    ("小提琴高八度", DUO, {"part": "melody", "program": 40, "octaves": 1}),
    ("把钢琴降低一个八度", DUO, {"part": "chords", "program": 0, "octaves": -1}),
    ("make the bass an octave lower", TUBA_BAND, {"part": "bass", "program": None, "octaves": -1}),
    ("lower the bass by an octave", TUBA_BAND, {"part": "bass", "program": None, "octaves": -1}),
    ("make the sax an octave higher", TUBA_BAND, {"part": "counter", "program": 65, "octaves": 1}),
    ("move the sax up two octaves", TUBA_BAND, {"part": "counter", "program": 65, "octaves": 2}),
    ("the second violin down an octave", QUARTET, {"part": "counter", "program": None, "octaves": -1}),
])
def test_one_part_an_octave_up_or_down_moves_that_part_and_swaps_nothing(text, current, octave):
    p = edit(text, current)
    assert p.changes["part_octave"] == octave and "swap" not in p.changes
    assert p.spec.instruments == current.instruments


@pytest.mark.parametrize("text", ["up an octave", "put the melody an octave higher", "升一个八度"])
def test_an_octave_for_the_piece_or_the_melody_is_no_part_octave(text):
    assert "part_octave" not in edit(text, QUARTET).changes


def test_an_octave_for_a_part_the_piece_lacks_says_so_and_swaps_nothing():
    p = edit("make the flute an octave higher", DUO)
    assert "swap" not in p.changes and "part_octave" not in p.changes and "no flute part" in p.notes[-1]


def test_no_piano_a_flute_beside_a_viola_changes_only_the_piano(chat):
    quartet_and_piano = piece((40, "melody"), (40, "counter"), (41, "chords"), (42, "bass"), (0, "chords"))
    p = edit("actually no piano, a flute", quartet_and_piano)
    assert p.changes["swap"] == {"role": "chords", "from": "acoustic grand piano", "program": 73, "name": "Flute"}
    assert programs(p.spec) == [40, 40, 41, 42, 73]
    chat.turn("s", "a classical piece for string quartet", seed=1)
    chat.turn("s", "add a piano")
    r = chat.turn("s", "actually no piano, a flute")
    assert sorted(i.program for i in midi(r).instruments) == [40, 40, 41, 42, 73]


def test_too_much_remove_the_guitar_and_the_strings_removes_them():
    p = edit("too much, remove the guitar and the strings", piece((0, "melody"), (48, "pad"), (24, "chords")))
    assert "volume" not in p.changes and programs(p.spec) == [0]
