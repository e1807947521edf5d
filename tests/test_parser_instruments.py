"""Instrument words in first requests: what a user names, bans or implies is what the piece plays."""

from __future__ import annotations

from pathlib import Path

import pretty_midi
import pytest

from assistant.chat import ChatEngine
from assistant.parser import parse_message
from assistant.store import SessionStore
from generators.baseline import BaselineGenerator

GUITARS = set(range(24, 32))
PIANOS = set(range(0, 6))
BASSES = set(range(32, 40)) | {43}
SYNTHS = {38, 39, 50, 51, 54, 62, 63} | set(range(80, 104))
STRINGS = set(range(40, 46)) | set(range(48, 52))


def parse(text: str):
    return parse_message(text, None, use_embeddings=False)


def programs(spec) -> set[int]:
    return {i.program for i in spec.instruments if not i.is_drum}


def roles(spec) -> set[str]:
    return {i.role for i in spec.instruments if not i.is_drum}


def quiet_chat(folder: Path) -> ChatEngine:
    """The chat engine on the baseline generator, MIDI only (no audio or sheet rendering: fast)."""
    return ChatEngine(SessionStore(folder / "db.sqlite"), folder / "files", generator=BaselineGenerator(),
                      audio=False, sheets=False)


@pytest.fixture
def quiet_engine(tmp_path) -> ChatEngine:
    return quiet_chat(tmp_path)


def midi_programs(result) -> set[int]:
    """The GM programs of the pitched tracks in the MIDI file the user gets."""
    pm = pretty_midi.PrettyMIDI(result.files["midi"])
    return {i.program for i in pm.instruments if not i.is_drum and i.notes}


def midi_has_drums(result) -> bool:
    pm = pretty_midi.PrettyMIDI(result.files["midi"])
    return any(i.is_drum and i.notes for i in pm.instruments)


# ---- 1. negation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["a pop song, don't use drums", "a rock song but don't add drums",
                                  "I hate drums, make a happy song", "no piano or drums, folk",
                                  "不要钢琴和鼓，来一首民谣"])
def test_every_way_of_saying_no_drums_turns_the_kit_off(text):
    spec = parse(text).spec
    assert spec.drums is False and not any(i.is_drum for i in spec.instruments)


@pytest.mark.parametrize(
    ("text", "banned"),
    [("do not use piano, jazz ballad", PIANOS), ("anything but piano, upbeat", PIANOS),
     ("rock song, no guitar", GUITARS), ("摇滚，不要吉他", GUITARS), ("leave out the bass, funk", BASSES),
     ("leave the bass out, funk", BASSES), ("chill electronic music, no synths", SYNTHS),
     ("电子乐，去掉合成器", SYNTHS), ("an epic film score without strings", STRINGS)],
)
def test_a_banned_instrument_is_gone_even_from_the_styles_band(text, banned):
    spec = parse(text).spec
    assert not programs(spec) & banned
    assert "melody" in roles(spec)


@pytest.mark.parametrize(("text", "banned"), [("rock song, no guitar", GUITARS), ("do not use piano, jazz ballad", PIANOS),
                                             ("chill electronic music, no synths", SYNTHS)])
def test_a_banned_accompanist_is_replaced_not_left_empty(text, banned):
    """The style's band keeps a tune and a chord part: someone else plays what the banned instrument would."""
    spec = parse(text).spec
    assert {"melody", "chords"} <= roles(spec) and not programs(spec) & banned
    melody = spec.melody_instrument().program
    assert melody not in BASSES  # the bass never inherits the tune


def test_hate_names_the_instrument_not_the_mood():
    spec = parse("I hate drums, make a happy song").spec
    assert spec.mood == "happy" and not spec.drums


@pytest.mark.parametrize("text", ["一首欢快的曲子但不要笛子", "欢快的曲子，不要二胡"])
def test_a_banned_chinese_instrument_does_not_make_the_piece_chinese(text):
    spec = parse(text).spec
    assert spec.style != "chinese" and not programs(spec) & {73, 40}


@pytest.mark.parametrize("text", ["除了钢琴和小提琴都不要", "除了钢琴，其他都不要"])
def test_chu_le_dou_bu_yao_keeps_the_named_instruments(text):
    """'除了X都不要' is 'nothing but X': X stays, it is not banned."""
    assert 0 in programs(parse(text).spec)


@pytest.mark.parametrize("text", ["sad violin, no piano", "sad violin, no piano, no drums",
                                  "a classical piece for violin, no piano"])
def test_no_piano_never_brings_a_piano_in(quiet_engine, text):
    r = quiet_engine.turn("s", text, seed=1)
    got = midi_programs(r)
    assert 40 in got and not got & PIANOS


def test_rock_without_guitar_has_no_guitar_in_the_midi(quiet_engine):
    r = quiet_engine.turn("s", "rock song, no guitar", seed=1)
    got = midi_programs(r)
    assert got and not got & GUITARS and midi_has_drums(r)


# ---- 2. "X and drums only" -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("guitar and drums only, no bass, rock", GUITARS), ("acoustic guitar and drums only", {25}),
     ("piano and drums only", {0}), ("bass and drums only", BASSES),
     ("need a beat for my rap, hard hitting, dark, like 140bpm trap, no melody just drums and bass", BASSES)],
)
def test_x_and_drums_only_keeps_x(text, wanted):
    p = parse(text)
    assert p.spec.drums and programs(p.spec) & wanted
    assert not programs(p.spec) - wanted  # nothing else joins them
    assert not any("drums only" in n for n in p.notes)


@pytest.mark.parametrize(("alone", "with_bass"), [("drums only", "bass and drums only"),
                                                 ("just drums", "just drums and bass")])
def test_only_a_message_naming_nothing_but_drums_is_drums_only(alone, with_bass):
    spec = parse(alone).spec
    assert spec.drums and all(i.is_drum for i in spec.instruments)
    assert programs(parse(with_bass).spec) & BASSES


def test_guitar_and_drums_only_plays_the_guitar(quiet_engine):
    r = quiet_engine.turn("s", "acoustic guitar and drums only", seed=1)
    assert midi_programs(r) & GUITARS and midi_has_drums(r)


# ---- 3. ensembles and named groups ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["saxophone quartet", "something in E flat for saxophone quartet", "萨克斯四重奏"])
def test_saxophone_quartet_is_four_saxophones(text):
    spec = parse(text).spec
    assert sorted(i.program for i in spec.instruments) == [64, 65, 66, 67] and not spec.drums


@pytest.mark.parametrize("text", ["big band swing", "swing jazz with big band horns, 160 bpm"])
def test_big_band_has_brass_saxes_and_a_rhythm_section_with_drums(text):
    spec = parse(text).spec
    got = [i.program for i in spec.instruments if not i.is_drum]
    assert spec.drums and any(i.is_drum for i in spec.instruments)
    assert got.count(61) <= 1 and set(got) & set(range(56, 64)) and set(got) & set(range(64, 68))
    assert {"bass", "chords"} <= roles(spec)


@pytest.mark.parametrize("text", ["disco track, 120 bpm, funky bass and strings",
                                  "samba carnival with lots of percussion", "一首迪斯科，贝斯和弦乐"])
def test_a_genre_made_of_its_beat_gets_a_kit_and_no_melodic_tom(text):
    spec = parse(text).spec
    assert spec.drums and 117 not in programs(spec)
    assert programs(parse("the song features piano, drum and bass").spec) & BASSES  # drums plus a bass


@pytest.mark.parametrize("text", ["indian classical vibe with sitar and tabla", "a piano tune with congas and bongos"])
def test_hand_drums_are_played_by_the_kit(text):
    spec = parse(text).spec
    assert spec.drums and not programs(spec) & {116, 117, 118}


def test_hawaiian_steel_guitar_leads_and_island_vibes_is_no_vibraphone():
    p = parse("hawaiian steel guitar, relaxing island vibes")
    assert p.spec.melody_instrument().program == 25 and 11 not in programs(p.spec)
    assert any("steel guitar" in n for n in p.notes)
    assert 11 in programs(parse("jazz with vibes and piano").spec)  # the instrument still reads


@pytest.mark.parametrize("text", ["80s synthpop with a driving beat", "a synth-pop song", "synth pop, upbeat"])
def test_synthpop_means_synths(text):
    spec = parse(text).spec
    assert spec.melody_instrument().program in SYNTHS and 38 in programs(spec) and spec.drums
    named = parse("a synthwave night drive, saw lead, synth bass, drums").spec
    assert sorted(programs(named)) == [38, 81]  # the synths the user names replace the genre's own


@pytest.mark.parametrize("text", ["A Largo piece in C minor, solo organ, solemn and grave", "an organ fugue in D minor",
                                  "a sad song for a funeral with organ", "庄严的风琴曲"])
def test_organ_in_a_solemn_piece_is_a_church_organ(text):
    assert parse(text).spec.melody_instrument().program == 19
    assert 16 in programs(parse("organ and drums, rock").spec)  # a rock organ stays a drawbar organ


@pytest.mark.parametrize(
    ("text", "program"),
    [("A waltz for orchestra in A major. Moderato. Features flute, clarinet, strings and harp.", 73),
     ("A waltz for orchestra in A major. Moderato. Features flute, clarinet, strings and harp.", 48),
     ("swing jazz with big band horns, 160 bpm", 61), ("a chamber orchestra with flute and oboe", 68)],
)
def test_an_ensemble_and_its_named_member_make_one_part(text, program):
    assert [i.program for i in parse(text).spec.instruments].count(program) == 1


def test_a_number_still_doubles_what_an_ensemble_has_once():
    assert [i.program for i in parse("an orchestra with flutes").spec.instruments].count(73) == 1
    assert [i.program for i in parse("an orchestra with two flutes").spec.instruments].count(73) == 2


def test_samba_percussion_never_plays_the_tune_on_a_tom(quiet_engine):
    r = quiet_engine.turn("s", "samba carnival with lots of percussion", seed=1)
    assert midi_has_drums(r) and 117 not in midi_programs(r)


def test_big_band_midi_has_a_drummer(quiet_engine):
    r = quiet_engine.turn("s", "big band swing", seed=1)
    got = midi_programs(r)
    assert midi_has_drums(r) and 56 in got and 65 in got


def test_percussion_in_a_caption_list_is_a_part_but_never_the_tune():
    spec = parse("A Latin piece with nylon guitar, piano, acoustic bass and percussion in A minor").spec
    assert 117 in programs(spec) and spec.melody_instrument().program == 24
