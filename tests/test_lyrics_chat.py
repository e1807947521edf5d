"""Lyrics through the chat engine: the words a singer finds under the notes of the written MusicXML."""

from __future__ import annotations

import pretty_midi
import pytest
from music21 import converter

from assistant.chat import ChatEngine
from assistant.store import SessionStore
from generators.baseline import BaselineGenerator


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


# --------------------------------------------------------------------------- the tune moves


@pytest.fixture
def midi_engine(tmp_path) -> ChatEngine:
    """The chat engine writing only MIDI (no audio, no sheet music): quick, for tests that read pitches."""
    return ChatEngine(SessionStore(tmp_path / "db.sqlite"), tmp_path / "files", generator=BaselineGenerator(),
                      audio=False, sheets=False)


def sung_pitches(reply) -> list[int]:
    """The pitches of the part that carries the MIDI lyric events (one note per syllable), in time order."""
    pm = pretty_midi.PrettyMIDI(reply.files["midi"], charset="utf-8")
    voice = next(i for i in pm.instruments if not i.is_drum and len(i.notes) == len(pm.lyrics))
    return [n.pitch for n in sorted(voice.notes, key=lambda n: n.start)]


def sung_notes(reply) -> list[tuple[str, int, float]]:
    """(syllable, MIDI pitch, beats including tied continuations) per sung note of the MusicXML."""
    score = converter.parse(reply.files["musicxml"])
    part = next(p for p in score.parts if any(n.lyrics for n in p.recurse().notes))
    out: list[tuple[str, int, float]] = []
    for n in part.recurse().notes:
        if n.lyrics:
            out.append((n.lyrics[0].text, n.pitch.midi, float(n.quarterLength)))
        elif out and n.tie is not None and n.tie.type in ("stop", "continue"):
            out[-1] = (out[-1][0], out[-1][1], out[-1][2] + float(n.quarterLength))
    return out


def _longest_run(pitches: list[int]) -> int:
    run = best = 1
    for a, b in zip(pitches, pitches[1:], strict=False):
        run = run + 1 if a == b else 1
        best = max(best, run)
    return best


@pytest.mark.parametrize("sheet", [
    "早上起来推开窗\n地铁站口人很多\n春天来了花开了小鸟在枝头叫\n我们一起走在回家的路上",
    "Hold me close and never let me go\nUnder the stars we dance so slow\nEvery little thing I know\n"
    "Is written in the way you glow",
])
def test_no_more_than_three_syllables_in_a_row_on_one_pitch(midi_engine, sheet):
    repeated = pairs = 0
    for seed in (1, 2, 3):
        pitches = sung_pitches(midi_engine.turn(f"s{seed}", sheet, seed=seed))
        assert _longest_run(pitches) <= 3, (seed, pitches)
        assert max(pitches) - min(pitches) <= 14, (seed, pitches)  # still within a singer's range
        repeated += sum(a == b for a, b in zip(pitches, pitches[1:], strict=False))
        pairs += len(pitches) - 1
    assert repeated / pairs < 0.3


def test_long_notes_end_chinese_words_not_start_them(engine):
    sheet = "每天早上挤着地铁穿过城市的高楼和街道\n周末早上我们坐地铁到海边看一看\n晚上回家的路上星星一颗一颗地亮起来"
    for seed in (1, 3):
        notes = sung_notes(engine.turn(f"s{seed}", sheet, seed=seed))
        for (a, _, da), (b, _, db) in zip(notes, notes[1:], strict=False):
            if a + b in ("每天", "早上", "地铁"):
                assert da <= db, (seed, a, da, b, db)
