"""Which messages are lyrics to set, and which part is the words."""

import pytest

from lyrics.detect import is_section_marker, split_lyrics_request


@pytest.mark.parametrize("text", [
    "a sad piano waltz in D minor",
    "来一首欢快的笛子曲",
    "Make me a song\nin D minor, slow please",
    "Can you make it slower?\nAnd add drums please",
    "compose a piece\ntempo 120\nin G major\nwith drums",
    "faster",
    "make the chorus higher",
    "换成小调",
    "",
    "   ",
])
def test_requests_are_not_lyrics(text):
    assert split_lyrics_request(text)[1] is None


def test_explicit_english_request_splits_at_the_colon():
    instr, words = split_lyrics_request(
        "Set these lyrics to a gentle melody:\nTwinkle twinkle little star\nHow I wonder what you are")
    assert "gentle" in instr
    assert words == "Twinkle twinkle little star\nHow I wonder what you are"


def test_explicit_request_with_words_on_the_same_line():
    assert split_lyrics_request("Set these lyrics to a gentle melody: Twinkle twinkle little star")[1] == (
        "Twinkle twinkle little star")


@pytest.mark.parametrize("text,first", [
    ("put this to music\nRow row row your boat\ngently down the stream", "Row row row your boat"),
    ("为这段歌词谱曲：\n床前明月光\n疑是地上霜", "床前明月光"),
    ("歌词：床前明月光，疑是地上霜", "床前明月光，疑是地上霜"),
    ("Lyrics: hello darkness my old friend", "hello darkness my old friend"),
    ("use these words instead:\nMoon is shining on the lake\nEvery star is wide awake", "Moon is shining on the lake"),
    ("change the lyrics to:\nhello there\nmy friend", "hello there"),
    ("换成这些歌词：\n月亮弯弯\n照九州", "月亮弯弯"),
])
def test_explicit_requests(text, first):
    words = split_lyrics_request(text)[1]
    assert words is not None and words.split("\n")[0] == first


def test_section_markers_make_lyrics():
    text = "[Verse]\nI walked along the river\n[Chorus]\nOh my love"
    assert split_lyrics_request(text) == ("", text)
    assert split_lyrics_request("主歌：\n我爱你\n副歌：\n你爱我")[1].startswith("主歌")


def test_pasted_verse_without_request():
    poem = "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡"
    assert split_lyrics_request(poem) == ("", poem)
    verse = "Amazing grace how sweet the sound\nThat saved a wretch like me\nI once was lost but now am found"
    assert split_lyrics_request("slow, in 3/4\n" + verse) == ("slow, in 3/4", verse)


@pytest.mark.parametrize("line", ["[Chorus]", "(Verse 2)", "Bridge:", "【副歌】", "主歌：", "[Pre-Chorus]"])
def test_section_marker_lines(line):
    assert is_section_marker(line)


def test_lyric_line_is_not_a_marker():
    assert not is_section_marker("Chorus of angels sing")


@pytest.mark.parametrize("text,words", [
    ("Write a song with these lyrics:\nhello\nworld", "hello\nworld"),
    ("Sing this:\nhello there\nmy friend", "hello there\nmy friend"),
    ("用这些歌词写一首歌：\n我爱你\n你爱我", "我爱你\n你爱我"),
    ("这是我写的歌词：月亮代表我的心", "月亮代表我的心"),
    ("a song about writing lyrics for my band", None),
    ("写一首关于歌词的歌", None),
])
def test_more_ways_to_ask(text, words):
    assert split_lyrics_request(text)[1] == words
