"""Phrasing a singer can sing: a breath after every line, long lines broken where the sense allows,
no yelp up to a line's last note."""

import random

import pytest

from generators.baseline import BaselineGenerator
from lyrics.melody_lib import MAX_LEAP
from lyrics.setting import lyric_lines, set_lyrics
from lyrics.syllables import chinese_words
from music.spec import MusicSpec

GEN = BaselineGenerator()
ZH_SHEET = "\n".join([
    "清晨的阳光洒在窗前", "我推开门走向那片田野", "小河的水静静地流淌", "带走了昨天所有的忧伤",
    "山坡上的羊群慢慢走", "白云在天边轻轻地游", "妈妈的歌声飘过村口", "我知道这里就是我的家",
])
EN_SHEET = "\n".join([
    "The willow bends beside the stream", "Where we used to lie", "The summer fades like half a dream",
    "And geese go flying by", "Dancing in the kitchen light", "Only sound the radio",
])


def _line_ends(setting):
    ev = setting.events
    return [i for i in range(len(ev) - 1) if ev[i + 1].line != ev[i].line]


@pytest.mark.parametrize("meter", ["4/4", "3/4", "6/8"])
@pytest.mark.parametrize("text", [ZH_SHEET, EN_SHEET])
def test_every_line_ends_with_a_breath(text, meter):
    s = set_lyrics(text, MusicSpec(time_signature=meter), GEN, 1)
    for i in _line_ends(s):
        rest = s.notes[i + 1].start - s.notes[i].end
        assert rest >= 0.5 - 1e-6, (s.events[i].syllable.text, rest)


def test_long_english_line_breaks_before_where_and_never_after_an_article():
    line = ("I walked along the boulevard where all the neon signs were flickering and buzzing in the rain "
            "and nobody looked at me")
    phrases = [ln.line for ln in lyric_lines(line)]
    assert phrases[0] == "I walked along the boulevard"
    assert phrases[1].startswith("where")
    assert all(p.split()[-1].lower() not in {"the", "a", "an", "of", "in", "to", "my", "and"} for p in phrases)
    assert " ".join(phrases) == line


def test_long_english_line_breaks_at_its_comma():
    line = "Underneath the silver moon, I waited for the letter that you promised you would send before the winter"
    assert lyric_lines(line)[0].line == "Underneath the silver moon"


def test_long_chinese_line_breaks_between_words():
    line = "我一个人走在这条长长的街道上看着来来往往的人群心里想着你现在会在哪里"
    phrases = [ln.line for ln in lyric_lines(line)]
    assert "".join(phrases) == line and len(phrases) >= 3
    assert phrases[0].endswith("街道上") and phrases[-1].startswith("心里想着")
    bounds = {sum(len(p) for p in phrases[:k]) for k in range(1, len(phrases))}
    word_starts = {sum(len(w) for w in chinese_words(line)[:k]) for k in range(len(chinese_words(line)))}
    assert bounds <= word_starts


class _WildGenerator:
    """A generator proposing any pitch of the voice's octave and a half: the sung line must still be singable."""

    name = "wild"

    def fill_rhythm(self, spec, chords, rhythm, seed):
        rng = random.Random(seed)
        return [rng.choice(range(60, 75)) for _ in rhythm]


def test_no_leap_wider_than_a_sixth_into_a_line_end():
    for seed in range(20):
        s = set_lyrics(EN_SHEET + "\n" + ZH_SHEET, MusicSpec(), _WildGenerator(), seed)
        for i in [*_line_ends(s), len(s.notes) - 1]:
            assert abs(s.notes[i].pitch - s.notes[i - 1].pitch) <= MAX_LEAP, (seed, s.events[i].syllable.text)
