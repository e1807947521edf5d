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


# --------------------------------------------------------------------------- every pasted line is sung


@pytest.mark.parametrize("text", [
    "Up at 5 and working 24/7\nNever stop until I reach eleven\nRolling on the highway like a comet\nEvery penny that I earn I'm on it",
    "鼓声响起来\n我们一起唱\n大声唱出来\n快乐像太阳",
    "Standing by the window\nI'm lost for the words to say\nThe evening's turning colder\nAnd the light has gone away",
    "那年夏天的风\n你写的歌词我还会唱\n只是你已不在\n我一个人慢慢走",
    "[Verse]\nWith these words I promise you\nUnder skies of gentle blue\nEvery vow I make is true",
])
def test_no_lyric_line_is_taken_for_the_request(text):
    instruction, words = split_lyrics_request(text)
    assert instruction == ""
    assert words == text


def test_a_request_on_the_closing_line_keeps_every_lyric_line():
    verse = "Little paper boat\nSailing down the lane\nCarry all my wishes\nThrough the summer rain"
    assert split_lyrics_request(verse + "\nSet these words to a lullaby") == ("Set these words to a lullaby", verse)
    assert split_lyrics_request(verse + "\nslow, in 3/4") == ("slow, in 3/4", verse)


# --------------------------------------------------------------------------- lyrics or request


@pytest.mark.parametrize("text", [
    "Please don't leave this town\nI want you here with me\nGive me one more night\nMake me feel so free",
    "Can you hear the thunder\nCould you hold my hand\nWhy do rivers wander\nWhen I cannot stand",
    "I hear the piano down the hall\nThe drums are pounding in my chest\nYour old guitar against the wall\n"
    "Please come home and let me rest",
    "请你别走开\n给我一个微笑\n帮我关上灯\n我等你到天亮",
    "Major Jones is dreaming\nIn a minor key tonight\nAll the stars are gleaming\nEvery window burning bright",
    "Play me a song tonight\nSing it soft and low\nThe river takes the light\nAnd I will let you go",
    "哼着小调回家\n路灯一盏一盏\n妈妈在门口\n等我吃晚饭",
])
def test_lyrics_with_request_words_are_still_lyrics(text):
    assert split_lyrics_request(text) == ("", text)


@pytest.mark.parametrize("text", [
    "Instruments:\nharp\nmarimba\nsaxophone\nupright bass",
    "Can you make something for my son's graduation?\nHe loves rockets and stars.\nIt should be bright and proud.\n"
    "Maybe with a glockenspiel.",
    "A song for a foggy Monday evening\nsoft and slow\nwith a bit of jazz feeling\nlike a bookshop in Prague",
    "Compose a lullaby\nfor my little girl\nwho is named Mia\nand loves the stars",
    "Make a song like this:\nstart quiet with just harp\nthen bring in strings\nand finish big with brass",
    "帮我写一首曲子\n要求如下：\n1. 中国风\n2. 用琵琶和箫\n3. 两分钟左右",
    "我想要一首歌\n用大提琴\n再加点雨声\n适合睡前听\n时长两分钟",
    "I'd like a song with:\n- piano\n- soft strings\n- a slow tempo around 70 bpm\n- in D minor",
    "What key is this in?\nAnd what's the tempo?\nCould you also explain the chords?",
    "Write me a jazz tune\nwith saxophone\nat 90 bpm\nfor a rainy night",
    "来一首古风的歌\n要有古筝\n节奏慢一点\n适合晚上听",
])
def test_multi_line_requests_are_not_lyrics(text):
    assert split_lyrics_request(text)[1] is None


# --------------------------------------------------------------------------- Chinese request lines without a colon

_RIVER = "河水慢慢流过村庄\n柳树在岸边摇晃\n外婆坐在门口等我\n炊烟飘向远方"
_HARBOUR = "Lanterns on the harbour wall\nSailors singing through the squall\nEvery rope and every oar\nPulls us closer to the shore"


@pytest.mark.parametrize("header", [
    "写个旋律，民谣风格",
    "写个旋律，摇滚风格",
    "给这段歌词写个旋律",
    "给这段词配个曲子",
    "配个曲，摇滚",
    "摇滚风格",
    "做成一首摇滚歌",
    "用欢快的节奏给这段词配个曲子，要有鼓",
    # the headers that already worked keep working
    "帮我写个旋律，摇滚风格",
    "帮忙谱曲，摇滚",
    "用摇滚风格唱",
    "请为以下歌词作曲（摇滚）",
    "谱曲，摇滚风格，要快",
    "帮我谱个曲 要悲伤一点",
    "给这首词配上中国风的曲子",
])
def test_a_chinese_request_line_above_the_lyrics_is_the_instruction(header):
    assert split_lyrics_request(f"{header}\n{_RIVER}") == (header, _RIVER)


def test_a_chinese_request_above_english_lyrics_is_the_instruction():
    header = "给下面的英文歌词写个旋律，摇滚风格"
    assert split_lyrics_request(f"{header}\n{_HARBOUR}") == (header, _HARBOUR)


@pytest.mark.parametrize("text", ["写个旋律，民谣风格", "摇滚风格", "配个曲，摇滚\n要快一点\n用电吉他"])
def test_a_chinese_request_alone_is_still_a_request(text):
    assert split_lyrics_request(text)[1] is None


def test_lyric_lines_about_writing_are_still_sung():
    verse = "我在纸上书写曲折的路\n窗外的雨下个不停\n你的名字写满了日记\n风吹过空空的街"
    assert split_lyrics_request(verse) == ("", verse)


# --------------------------------------------------------------------------- short and unusual lyric sheets


@pytest.mark.parametrize("text", [
    "等你的车站\n路灯也睡着",
    "你答应陪我看30次日出\n我笑着说那就说好了",
    "Wait for me — just wait for me — by the old oak tree...\nCall my name (call my name) across the sea",
    "Paper planes above the yard\nCarry wishes very far",
    "晚上我们去看movie\n吃着popcorn笑哈哈",
])
def test_two_verse_lines_are_lyrics(text):
    assert split_lyrics_request(text) == ("", text)


def test_two_lines_under_chord_lines_are_lyrics():
    sheet = "D          A\n秋天的落叶飘下\nBm         G\n小路上只有我"
    assert split_lyrics_request(sheet) == ("", sheet)


def test_a_header_and_two_lines_split():
    assert split_lyrics_request("加一段：\n周末我们去看concert\n唱着那首歌回家") == (
        "加一段：", "周末我们去看concert\n唱着那首歌回家")


def test_one_long_line_among_short_ones_is_still_a_lyric_sheet():
    sheet = ("I still recall the corner where we waited for the last bus home in the rain and laughed about nothing "
             "at all\nThe shelter roof was leaking\nYour scarf was red and wet\nAnd I have not forgotten yet")
    assert split_lyrics_request(sheet) == ("", sheet)


@pytest.mark.parametrize("text", [
    "make it faster\nand add drums",
    "I love it\nbut the drums are too loud",
    "这个不错\n再快一点",
    "太快了\n慢一点吧",
    "换成小调\n再加点鼓",
    "I am feeling sad today\nsomething to cheer me up",
    "The second version was better\nlet's go back",
    "It's too slow for a party\nThe kids want to dance",
    "我不喜欢这个结尾\n太突然了",
    "下雨天在家里\n适合发呆的那种",
    "Late night drive on the highway\nneon lights and synths",
    "For my daughter's birthday party\nShe turns five tomorrow",
])
def test_two_line_chat_messages_stay_requests(text):
    assert split_lyrics_request(text)[1] is None
