"""Lyrics through the chat engine: the words a singer finds under the notes of the written MusicXML."""

from __future__ import annotations

import pytest
from music21 import converter


def sung_words(reply) -> list[str]:
    """The lyric under each note of the MusicXML, in order, words rebuilt from their syllables."""
    score = converter.parse(reply.files["musicxml"])
    words: list[str] = []
    joining = False
    for n in score.recurse().notes:
        for lyric in n.lyrics[:1]:
            text = lyric.text
            if joining:
                words[-1] += text
            else:
                words.append(text)
            joining = lyric.syllabic in ("begin", "middle")
    return words


def _letters(text: str) -> str:
    return "".join(ch.lower() for ch in text if ch.isalpha())


@pytest.mark.parametrize("text", [
    "Please don't leave this town\nI want you here with me\nGive me one more night\nMake me feel so free",
    "Standing by the window\nI'm lost for the words to say\nThe evening's turning colder\nAnd the light has gone away",
    "鼓声响起来\n我们一起唱\n大声唱出来\n快乐像太阳",
])
def test_every_pasted_line_is_sung(engine, text):
    r = engine.turn("s", text, seed=1)
    assert r.intent == "lyrics", r.reply
    assert _letters("".join(sung_words(r))) == _letters(text)


def test_a_multi_line_request_is_composed_not_sung(engine):
    r = engine.turn("s", "Compose a lullaby\nfor my little girl\nwho is named Mia\nand loves the stars", seed=1)
    assert r.intent != "lyrics" and not r.spec["lyrics"]


def test_chords_and_directions_are_not_under_the_notes(engine):
    sheet = ("[Verse]\nG        D\nMorning comes to [G]Mary's door\nEm          C\nLight across the kitchen floor\n"
             "[Chorus]\nShine on me (x2)\nRepeat chorus")
    r = engine.turn("s", sheet, seed=1)
    words = [w.lower() for w in sung_words(r)]
    assert " ".join(words) == ("morning comes to mary's door light across the kitchen floor "
                               "shine on me shine on me shine on me shine on me")


def test_the_singer_breathes_between_lines_in_the_written_score(engine):
    sheet = "清晨的阳光洒在窗前\n我推开门走向那片田野\n小河的水静静地流淌\n带走了昨天所有的忧伤"
    r = engine.turn("s", sheet, seed=1)
    score = converter.parse(r.files["musicxml"])
    voice = next(p for p in score.parts if any(n.lyrics for n in p.recurse().notes))
    notes = list(voice.recurse().notes)
    sung = [i for i, n in enumerate(notes) if n.lyrics]
    counts = [len(line["syllables"]) for line in r.spec["lyrics"]]
    assert sum(counts) == len(sung)
    for k in range(1, len(counts)):
        last, nxt = sung[sum(counts[:k]) - 1], sung[sum(counts[:k])]
        end = notes[last].getOffsetInHierarchy(score) + sum(
            n.quarterLength for n in notes[last:nxt] if n is notes[last] or (n.tie and n.tie.type != "start"))
        assert notes[nxt].getOffsetInHierarchy(score) - end >= 0.5, k


def test_a_chinese_request_line_sets_the_style_and_is_not_sung(engine):
    verse = "河水慢慢流过村庄\n柳树在岸边摇晃\n外婆坐在门口等我\n炊烟飘向远方"
    r = engine.turn("s", "写个旋律，民谣风格\n" + verse, seed=1)
    assert r.intent == "lyrics", r.reply
    assert r.spec["style"] == "folk"
    assert _letters("".join(sung_words(r))) == _letters(verse)


@pytest.mark.parametrize("text,words", [
    ("等你的车站\n路灯也睡着", "等你的车站路灯也睡着"),
    ("G          D\n秋天的落叶飘下\nEm         C\n小路上只有我", "秋天的落叶飘下小路上只有我"),
    ("Wait for me — just wait for me — by the old oak tree...\nCall my name (call my name) across the sea",
     "Wait for me just wait for me by the old oak tree Call my name call my name across the sea"),
])
def test_a_two_line_lyric_is_sung(engine, text, words):
    r = engine.turn("s", text, seed=1)
    assert r.intent == "lyrics", r.reply
    assert _letters("".join(sung_words(r))) == _letters(words)


def test_added_mixed_language_lines_are_appended_and_keep_the_style(engine):
    first = engine.turn("s", "摇滚风格\n放学后我们去skate\n街角的风吹着face\n说好一起不回家\n直到星星挂天涯", seed=1)
    assert first.intent == "lyrics" and first.spec["style"] == "rock"
    r = engine.turn("s", "加一段：\n晚上我们去看movie\n吃着popcorn笑哈哈", seed=1)
    assert r.intent == "lyrics", r.reply
    assert r.spec["style"] == "rock"
    assert [ln["line"] for ln in r.spec["lyrics"]][-2:] == ["晚上我们去看movie", "吃着popcorn笑哈哈"]
    assert "movie" in "".join(sung_words(r))
