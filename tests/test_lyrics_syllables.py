"""Syllable counts, stress, tones and sung numbers."""

import json
from pathlib import Path

import pytest

from lyrics.numbers_lib import int_to_chinese, number_to_english
from lyrics.setting import lyric_lines
from lyrics.syllables import format_syllables, syllabify_line, syllable_lyric

DATA = Path(__file__).parent / "data" / "lyrics_syllables.jsonl"


def test_labelled_set_is_large_and_mixed():
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) >= 60
    assert {r["lang"] for r in rows} == {"en", "zh", "mixed"}


def test_syllable_counts_on_labelled_set():
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    wrong = [(r["line"], r["syllables"], format_syllables(syllabify_line(r["line"])))
             for r in rows if len(syllabify_line(r["line"])) != r["syllables"]]
    assert len(wrong) <= 0.02 * len(rows), wrong


@pytest.mark.parametrize("line,count", [
    ("I'm", 1), ("don't", 1), ("waitin'", 2), ("nothin'", 2), ("Supercalifragilistic", 8),
    ("2024", 5), ("5:15", 3), ("the 3rd", 2), ("8:00", 3), ("fire", 1),
])
def test_contractions_numbers_and_unknown_words(line, count):
    assert len(syllabify_line(line)) == count


def test_numbers_read_as_sung():
    assert number_to_english("2024") == "twenty twenty-four"
    assert number_to_english("1984") == "nineteen eighty-four"
    assert number_to_english("5:15") == "five fifteen"
    assert number_to_english("5:05") == "five oh five"
    assert number_to_english("21st") == "twenty-first"
    assert number_to_english("1960s") == "nineteen sixties"
    assert int_to_chinese(15) == "十五"
    assert int_to_chinese(105) == "一百零五"
    assert [s.text for s in syllabify_line("2024年")] == list("二零二四年")


def test_english_stress_from_the_dictionary():
    syls = syllabify_line("the beautiful river")
    assert [s.stress for s in syls] == [0, 1, 0, 0, 1, 0]
    assert [s.text for s in syls][:4] == ["the", "beau", "ti", "ful"]


def test_chinese_one_syllable_per_character_with_tones_and_words():
    syls = syllabify_line("妈妈骂马，床前明月光！")
    assert [s.text for s in syls] == list("妈妈骂马床前明月光")
    assert syls[2].tone == 4 and syls[3].tone == 3
    assert syls[4].word == "床前" and syls[4].word_start and not syls[4].word_end
    assert all(s.stress is None for s in syls)


def test_mixed_line_and_emoji():
    syls = syllabify_line("我爱你 baby 🌙💖 今晚")
    assert [s.text for s in syls] == ["我", "爱", "你", "ba", "by", "今", "晚"]
    assert syllabify_line("🌙💖✨") == []


def test_hyphenated_lyric_text_for_notes():
    syls = syllabify_line("little star")
    assert [syllable_lyric(s) for s in syls] == ["lit-", "-tle", "star"]


@pytest.mark.parametrize("junk", ["", "   ", "```python\ndef f(x): return x**2\n```", "{}[]<>", "a" * 5000, None])
def test_odd_text_never_raises(junk):
    assert isinstance(syllabify_line(junk), list)


@pytest.mark.parametrize("word,count", [("o'er", 1), ("heav'n", 1), ("e'en", 1), ("ev'ry", 2), ("'tis", 1),
                                        ("y'know", 2), ("Jeannie's", 2), ("th'", 1)])
def test_poetic_elisions(word, count):
    assert len(syllabify_line(word)) == count


@pytest.mark.parametrize("line,count", [("NYC nights", 4), ("KTV 里唱歌", 6), ("rock & roll", 3), ("100% sure", 6),
                                        ("WWE", 7), ("OK", 2)])
def test_acronyms_and_symbols_as_sung(line, count):
    assert len(syllabify_line(line)) == count


@pytest.mark.parametrize("line,sung", [
    ("在KTV里唱歌到天亮", ["在", "K", "T", "V", "里", "唱", "歌", "到", "天", "亮"]),
    ("Hello你好", ["Hel", "lo", "你", "好"]),
    ("baby我爱你", ["ba", "by", "我", "爱", "你"]),
    ("我的iPhone没电了", ["我", "的", "i", "Phone", "没", "电", "了"]),
    ("今晚Party开始", ["今", "晚", "Par", "ty", "开", "始"]),
])
def test_latin_word_touching_han_characters_is_split_where_the_script_changes(line, sung):
    assert [s.text for s in syllabify_line(line)] == sung


@pytest.mark.parametrize("line,sung", [
    ("你说要陪我100年", list("你说要陪我一百年")),
    ("2024年的冬天", list("二零二四年的冬天")),
    ("it's 2am", ["it's", "two", "a", "m"]),
    ("home by 5pm", ["home", "by", "five", "p", "m"]),
    ("It cost me $5", ["It", "cost", "me", "five", "dol", "lars"]),
    ("only $1", ["on", "ly", "one", "dol", "lar"]),
])
def test_numbers_money_and_clock_times_are_sung_whole(line, sung):
    assert [s.text for s in syllabify_line(line)] == sung


def test_a_clock_time_is_not_split_across_phrases():
    phrases = [ln.line for ln in lyric_lines("We waited by the gate till 3:45 and then the morning train came in")]
    assert any("three forty five" in p for p in phrases), phrases


@pytest.mark.parametrize("word,shown", [
    ("mighty", "migh-ty"), ("maybe", "may-be"), ("radio", "ra-di-o"), ("comfortable", "com-for-ta-ble"),
    ("every", "ev-ery"), ("Leo", "Le-o"), ("daughter", "daugh-ter"), ("video", "vi-de-o"), ("idea", "i-de-a"),
    ("pocket", "pock-et"), ("beautiful", "beau-ti-ful"), ("little", "lit-tle"), ("Xiomara", "Xi-o-ma-ra"),
])
def test_syllables_under_the_notes_follow_english_spelling(word, shown):
    assert format_syllables(syllabify_line(word)) == shown


@pytest.mark.parametrize("line,shown", [
    ("Glowing little firefly", "Glow-ing lit-tle fire-fly"),
    ("Sitting by the fireplace", "Sit-ting by the fire-place"),
    ("A skyscraper of dreams", "A sky-scrap-er of dreams"),
    ("Burnout on the handrail", "Burn-out on the hand-rail"),
    ("My father in the meeting", "My fa-ther in the meet-ing"),
])
def test_compound_words_split_between_their_words(line, shown):
    assert format_syllables(syllabify_line(line)) == shown
