"""Follow-ups are parsed relative to the current piece; other intents are recognised."""

from __future__ import annotations

import pytest

from assistant.parser import parse_message
from music.spec import InstrumentSpec, MusicSpec
from music.theory import note_name_to_pc


@pytest.fixture
def current() -> MusicSpec:
    return MusicSpec(tempo_bpm=100.0, key="C", mode="major", time_signature="4/4", bars=16,
                     instruments=[InstrumentSpec.gm(0, "melody"), InstrumentSpec.gm(25, "chords"),
                                  InstrumentSpec.gm(33, "bass")], style="pop")


def edit(text: str, cur: MusicSpec):
    return parse_message(text, cur, use_embeddings=False)


@pytest.mark.parametrize(
    ("text", "bpm"),
    [("faster", 112), ("slower", 88), ("a bit faster", 106), ("much faster", 124), ("make it 120 bpm", 120),
     ("快一点", 112), ("慢一点", 88), ("twice as fast", 200), ("20 bpm slower", 80), ("速度改成90", 90)],
)
def test_tempo_edits(text, bpm, current):
    p = edit(text, current)
    assert p.intent == "edit" and p.spec.tempo_bpm == bpm and p.changes["tempo_bpm"] == bpm


@pytest.mark.parametrize(
    ("text", "semis", "key"),
    [("up a whole step", 2, "D"), ("down a fifth", -7, "F"), ("transpose up 3 semitones", 3, "Eb"),
     ("up an octave", 12, "C"), ("升高两个半音", 2, "D"), ("down a half step", -1, "B")],
)
def test_transpositions_move_the_key(text, semis, key, current):
    p = edit(text, current)
    assert p.changes["transpose"] == semis and note_name_to_pc(p.spec.key) == note_name_to_pc(key)


def test_impossible_transposition_is_limited_with_a_note(current):
    p = edit("transpose up 500 octaves", current)
    assert abs(p.changes["transpose"]) <= 24 and p.notes
    assert p.spec.key and p.spec.tempo_bpm == 100


@pytest.mark.parametrize("text", ["in minor", "make it minor", "换成小调"])
def test_mode_changes(text, current):
    p = edit(text, current)
    assert p.changes == {"mode": "minor"} and p.spec.mode == "minor" and p.spec.key == "C"


@pytest.mark.parametrize(("text", "program"), [("use a violin instead", 40), ("换成小提琴", 40),
                                               ("replace the piano with a flute", 73), ("play it on cello instead", 42)])
def test_swaps_replace_the_melody(text, program, current):
    p = edit(text, current)
    assert p.changes["swap"]["role"] == "melody" and p.changes["swap"]["program"] == program
    assert p.spec.melody_instrument().program == program
    assert [i.program for i in p.spec.instruments if i.role != "melody"] == [25, 33]


def test_swap_to_an_instrument_without_a_patch_says_so(current):
    p = edit("换成二胡", current)
    assert p.changes["swap"]["program"] == 40 and any("二胡" in n for n in p.notes)


@pytest.mark.parametrize("text", ["add drums", "加鼓", "with drums please"])
def test_add_drums(text, current):
    p = edit(text, current)
    assert p.changes == {"add_part": "drums"} and p.spec.drums and any(i.is_drum for i in p.spec.instruments)


def test_remove_parts(current):
    p = edit("remove the bass", current)
    assert p.changes == {"remove_part": "bass"} and all(i.role != "bass" for i in p.spec.instruments)
    p = edit("去掉贝斯", current)
    assert p.changes == {"remove_part": "bass"}
    drummed = current.with_(drums=True, instruments=[*current.instruments, InstrumentSpec.drums()])
    p = edit("no drums", drummed)
    assert p.changes == {"remove_part": "drums"} and not p.spec.drums
    assert not any(i.is_drum for i in p.spec.instruments)


@pytest.mark.parametrize(("text", "role"), [("add strings", "pad"), ("add a counter-melody", "counter"),
                                            ("add a pad", "pad"), ("加上弦乐", "pad")])
def test_add_parts(text, role, current):
    p = edit(text, current)
    assert p.changes == {"add_part": role} and any(i.role == role for i in p.spec.instruments)


def test_longer_and_shorter(current):
    p = edit("make it longer", current)
    assert p.intent == "longer" and p.changes["extra_bars"] > 0 and p.spec.bars == 16 + p.changes["extra_bars"]
    assert edit("add 8 more bars", current).changes["extra_bars"] == 8
    p = edit("shorter", current)
    assert p.intent == "shorter" and p.changes["bars"] < 16


@pytest.mark.parametrize(("text", "dim", "sign"), [("happier", "valence", 1), ("sadder", "valence", -1),
                                                   ("more energetic", "arousal", 1), ("calmer", "arousal", -1),
                                                   ("brighter", "valence", 1), ("higher", "register", 1),
                                                   ("开心一点", "valence", 1), ("安静一点", "arousal", -1)])
def test_nudges_move_the_spec(text, dim, sign, current):
    p = edit(text, current)
    assert p.intent == "edit" and p.changes["nudge"][dim] * sign > 0
    assert (getattr(p.spec, dim) - getattr(current, dim)) * sign > 0


@pytest.mark.parametrize(
    ("text", "intent"),
    [("give me a variation", "variation"), ("变奏", "variation"), ("再来一个变奏", "variation"),
     ("give me another variation", "variation"), ("try again", "regenerate"), ("再来一个", "regenerate"),
     ("再来一次", "regenerate"), ("undo", "undo"), ("撤销", "undo"), ("help", "help"), ("你能做什么", "help")],
)
def test_intents(text, intent, current):
    assert edit(text, current).intent == intent


def test_revert_and_blend(current):
    p = edit("go back to version 2", current)
    assert p.intent == "revert" and p.target_version == 2
    p = edit("回到第2版", current)
    assert p.intent == "revert" and p.target_version == 2
    p = edit("blend version 1 and 3", current)
    assert p.intent == "blend" and p.blend_versions == (1, 3)


@pytest.mark.parametrize(
    ("text", "topic"),
    [("what key is it in?", "key"), ("这是什么调?", "key"), ("how fast is it?", "tempo"),
     ("what time signature is this?", "meter"), ("what instruments are playing?", "instruments"),
     ("how long is it?", "bars"), ("what chords does it use?", "chords"), ("what style is this?", "style"),
     ("这首曲子的速度是多少?", "tempo")],
)
def test_questions(text, topic, current):
    p = edit(text, current)
    assert p.intent == "question" and p.question == topic and p.spec == current


def test_question_without_a_piece_is_still_a_question():
    assert parse_message("what key is it in?", None, use_embeddings=False).intent == "question"


def test_new_request_with_a_current_piece_composes(current):
    p = edit("write a new sad waltz in D minor", current)
    assert p.intent == "compose" and p.spec.time_signature == "3/4" and p.spec.mode == "minor"


def test_absolute_changes(current):
    p = edit("in 3/4", current)
    assert p.changes == {"time_signature": "3/4"}
    p = edit("make it jazz", current)
    assert p.changes["style"] == "jazz" and p.spec.style == "jazz"
    p = edit("change the key to G major", current)
    assert p.changes["key"] == "G" and p.spec.key == "G"


@pytest.mark.parametrize(("text", "intent"), [("undo", "help"), ("go back to version 2", "help"),
                                              ("try again", "compose"), ("faster", "compose"),
                                              ("give me a variation", "compose")])
def test_without_a_piece_only_compose_help_question_or_lyrics(text, intent):
    p = parse_message(text, None, use_embeddings=False)
    assert p.intent == intent


def test_the_bass_part_is_found_whoever_plays_it():
    cur = MusicSpec(instruments=[InstrumentSpec("Violin", 40, "melody"), InstrumentSpec("Cello", 42, "bass")])
    p = parse_message("make the bass louder", cur)
    assert p.intent == "edit" and p.changes["volume"]["part"] == "bass" and p.changes["volume"]["db"] > 0
    p = parse_message("make the flute louder", cur)
    assert not p.changes and any("flute" in n for n in p.notes)


def test_a_tempo_change_for_one_section_says_it_applies_to_the_whole_piece():
    cur = MusicSpec(tempo_bpm=100, bars=16, instruments=[InstrumentSpec("Violin", 40, "melody")])
    p = parse_message("can you slow down only the middle part?", cur)
    assert p.changes["tempo_bpm"] < 100 and p.notes
    p = parse_message("只把结尾放慢一点", cur)  # a ritardando: declined, rather than slowing every bar
    assert "tempo_bpm" not in p.changes and p.notes
    assert not parse_message("slower", cur).notes


def test_adding_a_section_of_an_instrument_is_an_edit_not_a_new_piece():
    cur = MusicSpec(style="rock", instruments=[InstrumentSpec("Guitar", 27, "melody")])
    p = parse_message("加一段小提琴", cur)
    assert p.intent == "edit" and p.changes.get("add_part")
    assert parse_message("来一段古筝", cur).intent == "compose"


@pytest.mark.parametrize(
    ("text", "how"),
    [("make the ending stronger", "strong"), ("end with a bang", "strong"), ("I want a more dramatic ending", "strong"),
     ("the outro should be more epic", "strong"), ("来个宏大的结尾", "strong"), ("结尾要震撼", "strong"),
     ("fade out at the end", "soft"), ("end it softly", "soft"), ("a softer ending please", "soft"),
     ("最后淡出", "soft"), ("结尾安静一点", "soft")],
)
def test_ending_requests_reshape_the_ending_and_nothing_else(text, how, current):
    p = edit(text, current)
    assert p.intent == "edit" and p.changes == {"ending": how}
    assert (p.spec.style, p.spec.mood, p.spec.tempo_bpm) == (current.style, current.mood, current.tempo_bpm)


@pytest.mark.parametrize("text", ["a song about the end of summer, calm and warm", "the end of the world, epic",
                                  "at the end of the day I want a calm song", "make it louder", "最后，加点鼓"])
def test_the_word_end_alone_is_not_an_ending_request(text, current):
    assert "ending" not in edit(text, current).changes


@pytest.fixture
def band() -> MusicSpec:
    return MusicSpec(tempo_bpm=100.0, key="C", mode="major", bars=16, drums=True, style="pop",
                     instruments=[InstrumentSpec.gm(73, "melody"), InstrumentSpec.gm(0, "chords"),
                                  InstrumentSpec.gm(33, "bass"), InstrumentSpec.drums()])


@pytest.mark.parametrize(
    ("text", "role", "program"),
    [("change the flute to violin", "melody", 40), ("change the piano to violin", "chords", 40),
     ("change the bass to a cello", "bass", 42), ("switch piano for violin", "chords", 40),
     ("instead of piano use violin", "chords", 40), ("use a violin instead of the flute", "melody", 40),
     ("swap the flute for an oboe", "melody", 68), ("turn the flute into a trumpet", "melody", 56),
     ("make the piano a harp", "chords", 46), ("把钢琴换成小提琴", "chords", 40), ("用小提琴代替长笛", "melody", 40),
     ("把贝斯换成大提琴", "bass", 42), ("use a violin instead", "melody", 40), ("换成小提琴", "melody", 40)],
)
def test_a_swap_replaces_the_part_named_first_with_the_instrument_named_after(text, role, program, band):
    p = edit(text, band)
    assert p.intent == "edit" and p.changes["swap"] == {"role": role, "program": program,
                                                        "name": p.changes["swap"]["name"]}
    assert next(i.program for i in p.spec.instruments if i.role == role) == program


def test_a_swap_of_a_part_that_is_not_there_changes_nothing(band):
    p = edit("change the guitar to violin", band)
    assert "swap" not in p.changes and any("guitar" in n for n in p.notes)


def test_two_new_instruments_take_the_melody_and_the_accompaniment(band):
    p = edit("换成钢琴和大提琴", band)
    assert [s["program"] for s in p.changes["swap"]] == [0, 42]
    assert next(i.program for i in p.spec.instruments if i.role == "melody") == 0


@pytest.mark.parametrize(
    ("text", "bpm"),
    [("too fast", 88), ("it's way too fast", 76), ("a bit too slow", 106), ("太快了", 88), ("有点太慢了", 112),
     ("not fast enough", 112)],
)
def test_a_tempo_complaint_asks_for_the_opposite(text, bpm, current):
    p = edit(text, current)
    assert p.intent == "edit" and p.spec.tempo_bpm == bpm


@pytest.mark.parametrize(("text", "intent"), [("too long", "shorter"), ("太长了", "shorter"), ("it's too short", "longer")])
def test_a_length_complaint_asks_for_the_opposite(text, intent, current):
    assert edit(text, current).intent == intent


@pytest.mark.parametrize(("text", "dim", "sign"), [("a bit too happy", "valence", -1), ("too sad", "valence", 1),
                                                   ("too boring", "arousal", 1), ("太单调了", "density", 1),
                                                   ("it's too high", "register", -1)])
def test_a_mood_complaint_nudges_the_other_way(text, dim, sign, current):
    p = edit(text, current)
    assert p.intent == "edit" and p.changes["nudge"][dim] * sign > 0


@pytest.mark.parametrize(("text", "lo", "hi"), [("a song that's not too fast", 85, 100),
                                                ("neither too fast nor too slow", 95, 105), ("不要太快的钢琴曲", 85, 100)])
def test_not_too_fast_is_a_preference_not_a_complaint(text, lo, hi):
    assert lo <= parse_message(text, None, use_embeddings=False).spec.tempo_bpm <= hi


@pytest.mark.parametrize(("text", "key", "value"), [
    ("more reverb", "reverb", 25), ("make it drier", "reverb", -25), ("加点混响", "reverb", 25),
    ("lower the key a bit", "transpose", -2), ("换个调", "transpose", 2), ("raise the key", "transpose", 2),
    ("less drums", "volume", {"part": "drums", "db": -6.0}),
])
def test_mix_and_key_follow_ups(text, key, value, band):
    p = edit(text, band)
    assert p.intent == "edit" and p.changes.get(key) == value, p.changes
    assert "nudge" not in p.changes


@pytest.mark.parametrize(("text", "intent", "bars"), [("make it twice as long", "longer", None),
                                                       ("cut it in half", "shorter", 8)])
def test_twice_as_long_and_half_as_long(text, intent, bars, band):
    p = edit(text, band)
    assert p.intent == intent
    assert p.changes.get("extra_bars", 16) == 16 and (bars is None or p.changes["bars"] == bars)


@pytest.mark.parametrize("text", ["remove everything except the piano", "only piano please", "只留钢琴"])
def test_keep_only_removes_every_other_part(text, band):
    spec = band.with_(instruments=[InstrumentSpec.gm(0, "melody"), InstrumentSpec.gm(25, "chords"),
                                   InstrumentSpec.gm(33, "bass"), InstrumentSpec.drums()])
    p = edit(text, spec)
    assert sorted(p.changes["remove_part"]) == ["bass", "chords", "drums"] and "swap" not in p.changes
    assert [i.program for i in p.spec.instruments] == [0]


def test_keep_only_an_accompanist_hands_it_the_tune(band):
    p = edit("only the piano please", band)  # the piano plays chords, the flute the melody
    assert p.changes["swap"]["program"] == 0 and "melody" not in p.changes.get("remove_part", [])


@pytest.mark.parametrize("text", ["make the melody more catchy", "make it groovier", "更有节奏感"])
def test_feel_words_nudge_without_adding_parts(text, band):
    p = edit(text, band)
    assert p.intent == "edit" and "nudge" in p.changes and "add_part" not in p.changes


def test_the_eighties_is_not_a_length(band):
    assert "bars" not in edit("make it sound like the 80s", band).changes
