"""First requests land on a fitting style, mood, energy and kit through the vocabularies in prompts/
(styles.json, occasions.json, moods.json): QA round 2, zh #9/#11/#18 and en #19, rows 27/28/32."""

from __future__ import annotations

import pytest

from assistant.parser import parse_message

ANY = None  # the field is not checked
SLOW, MID, UPBEAT, FAST = (0, 76), (77, 119), (108, 300), (120, 300)

# text, style, mood, drum kit, (lowest, highest) bpm
FIRST_REQUESTS = [
    # Chinese opera, regions and genres that got the help text or the default pop band
    ("京剧风的曲子，有锣鼓", "chinese", ANY, ANY, MID), ("京剧", "chinese", ANY, False, MID),
    ("京胡，京剧风格", "chinese", ANY, ANY, ANY), ("来一段黄梅戏风格的旋律", "chinese", "happy", False, MID),
    ("黄梅戏", "chinese", "happy", False, ANY), ("越剧", "chinese", "tender", False, ANY),
    ("三弦，说书那种感觉", "chinese", "playful", ANY, ANY),
    ("蒙古长调", "chinese", "calm", False, SLOW), ("草原风格", "chinese", "calm", False, SLOW),
    ("蒙古风格", "chinese", ANY, ANY, ANY),
    ("新疆风格", "chinese", "happy", ANY, (90, 300)), ("新疆风情的音乐", "chinese", "happy", ANY, (90, 300)),
    ("冬不拉，新疆风情", "chinese", "happy", ANY, ANY),
    ("赋格", "classical", ANY, False, ANY), ("写一首赋格，管风琴", "classical", ANY, False, ANY),
    ("卡农", "classical", ANY, False, ANY), ("来首像卡农那样的", "classical", ANY, False, ANY),
    ("卡农风格的钢琴曲", "classical", ANY, False, ANY), ("canon in D for strings", "classical", ANY, False, ANY),
    # occasions
    ("广场舞，动次打次", "pop", "excited", True, (120, 132)), ("广场舞音乐", "pop", "excited", True, (120, 132)),
    ("中秋节，思念家乡", "chinese", "nostalgic", ANY, SLOW), ("中秋节", "chinese", "nostalgic", ANY, SLOW),
    ("端午节", "chinese", "excited", ANY, UPBEAT), ("元宵节", "chinese", "excited", ANY, UPBEAT),
    ("锣鼓喧天的开场", "chinese", "excited", ANY, UPBEAT), ("公司年会开场", "pop", "excited", True, FAST),
    ("毕业季", "pop", "nostalgic", ANY, ANY), ("毕业典礼上放的，有点感动", "pop", "tender", ANY, ANY),
    ("a song for my graduation ceremony", "pop", "hopeful", ANY, ANY),
    ("上班路上听的，提提神", "pop", "happy", True, (111, 300)), ("通勤听的", "pop", "happy", True, (111, 300)),
    ("an upbeat song for my morning commute", "pop", "happy", True, (111, 300)),
    ("a road trip song", "pop", "happy", True, (111, 300)),
    ("来点松弛感拉满的音乐", "lofi", "calm", ANY, (0, 79)), ("来首躺平专用曲", "lofi", "calm", ANY, (0, 79)),
    ("来首Kpop风格的舞曲", "pop", "excited", True, FAST),
    ("圣诞节的音乐，铃铛叮叮当", "pop", "happy", True, ANY),
    ("一首关于大海的曲子，要有海浪的感觉", "ambient", "calm", False, (0, 70)), ("海边的夜晚", "ambient", "calm", False, (0, 70)),
    ("a song about the ocean", "ambient", "calm", False, (0, 70)),
    ("夕阳西下那种感觉", ANY, "nostalgic", ANY, ANY), ("a sunset on the beach", ANY, "nostalgic", ANY, ANY),
    ("给猫咪听的音乐", ANY, "playful", False, ANY),
    ("来首土嗨的，蹦迪那种", "electronic", "excited", True, FAST), ("来首夜店蹦迪的歌", "electronic", "excited", True, FAST),
    ("帮我把这段歌词谱成一首抒情歌", "pop", "tender", False, (0, 89)), ("一首抒情的曲子", "pop", "tender", False, (0, 89)),
    ("一首抒情歌", "pop", "tender", False, (0, 89)),
    ("儿歌，给小朋友唱的", "pop", "happy", ANY, ANY),
    ("埙，很苍凉的感觉", ANY, "sad", ANY, ANY),
    # reggae lives at 70-80 bpm: the closest style is latin, at the laid-back bottom of its range
    ("雷鬼，夏天海边", "latin", ANY, ANY, (0, 99)), ("reggae groove with organ and bass", "latin", ANY, ANY, (0, 99)),
    ("a reggae song", "latin", ANY, True, (0, 99)),
    # English: QA #19 and rows 27, 28, 32
    ("I can't sleep, play me something", ANY, "calm", False, (0, 70)),
    ("music that sounds like falling snow", ANY, "calm", False, (0, 70)),
    ("something for a sleepless night", ANY, "calm", False, (0, 70)),
    ("a retro video game boss theme, chiptune, minor key, fast", "electronic", "tense", True, FAST),
    ("a film noir theme with saxophone and brushes on the drums", "jazz", "dark", ANY, ANY),
    ("dreamy shoegaze with lots of reverb and guitars", "rock", "calm", True, ANY),
    # a named genre wins over the occasion
    ("a birthday song for my dad, he likes country music", "country", "happy", ANY, ANY),
    ("a ballad in jazz style", "jazz", "tender", ANY, ANY), ("for studying, some classical music", "classical", ANY, False, ANY),
    ("a 2000s pop punk song", "rock", ANY, True, FAST), ("eurodance", "electronic", ANY, True, FAST),
    ("1990s eurodance", "electronic", ANY, True, FAST),
]


def kit(spec) -> bool:
    return spec.drums or any(i.is_drum for i in spec.instruments)


@pytest.mark.parametrize(("text", "style", "mood", "drums", "bpm"), FIRST_REQUESTS)
def test_a_first_request_lands_on_its_style_mood_kit_and_tempo(text, style, mood, drums, bpm):
    p = parse_message(text, use_embeddings=False)
    got = (p.intent, p.spec.style if style else ANY, p.spec.mood if mood else ANY,
           kit(p.spec) if drums is not None else ANY, bpm[0] <= p.spec.tempo_bpm <= bpm[1] if bpm else ANY)
    assert got == ("compose", style, mood, drums, True if bpm else ANY)


def test_peking_opera_with_gongs_is_livelier_than_the_chinese_default():
    opera = parse_message("京剧风的曲子，有锣鼓", use_embeddings=False).spec
    assert opera.style == "chinese" and opera.arousal > 0 > parse_message("中国风的曲子", use_embeddings=False).spec.arousal


def test_a_mongolian_long_song_is_pentatonic():
    assert parse_message("蒙古长调", use_embeddings=False).spec.mode == "major_pentatonic"


def test_post_rock_is_rock_slower_than_a_plain_rock_song():
    post, plain = (parse_message(t, use_embeddings=False).spec for t in ("后摇", "摇滚"))
    assert post.style == "rock" and post.tempo_bpm < plain.tempo_bpm - 15 and post.arousal < 0


@pytest.mark.parametrize("text", ["a calm piano piece for studying", "a slow piano ballad"])
def test_a_piano_piece_for_studying_or_a_piano_ballad_is_the_piano_alone(text):
    spec = parse_message(text, use_embeddings=False).spec
    assert [i.program for i in spec.instruments] == [0] and not kit(spec)


@pytest.mark.parametrize("text", ["an old-timey ragtime piano tune", "1920s ragtime piano"])
def test_ragtime_piano_is_solo_stride_in_two(text):
    """Until there is a ragtime style: the march's 2/4 oom-pah on a solo piano, major, no kit, no swing."""
    spec = parse_message(text, use_embeddings=False).spec
    assert [i.program for i in spec.instruments] == [0] and not kit(spec)
    assert spec.time_signature == "2/4" and spec.mode == "major"


# ---- the embedding matcher -------------------------------------------------------------------------------------
def test_a_flute_melody_is_not_chinese():
    """The Chinese prototype named a 'bamboo flute'; any flute melody matched it (QA row 32)."""
    spec = parse_message("a flute melody", use_embeddings=True).spec
    assert spec.style != "chinese" and spec.mode != "major_pentatonic"
    assert parse_message("a bamboo flute melody", use_embeddings=True).spec.style == "chinese"


@pytest.mark.parametrize(("text", "style"), [("the sound of waves on a quiet beach at night", "ambient"),
                                             ("something like a detective movie from the 1940s", "jazz"),
                                             ("a tune from an old nintendo game", "electronic"),
                                             ("walls of fuzzy guitar drenched in reverb", "rock")])
def test_prototypes_catch_phrases_word_lists_miss(text, style):
    from assistant import embedding

    _, match = embedding.match_phrases(text)
    assert match is not None and match.label == style


def test_a_minor_key_is_not_a_minute():
    spec = parse_message("A slow waltz in A minor, 30 seconds", use_embeddings=False).spec
    assert spec.duration_s == pytest.approx(30, abs=4)


@pytest.mark.parametrize("text,lo,hi", [("reggae groove with organ and bass", 60, 86),
                                        ("a film noir theme with saxophone and brushes", 60, 98)])
def test_an_occasion_that_picks_the_style_brings_its_tempo(text, lo, hi):
    assert lo <= parse_message(text, use_embeddings=False).spec.tempo_bpm <= hi


def test_a_sad_chinese_tune_stays_pentatonic():
    assert parse_message("悲伤的古筝曲", use_embeddings=False).spec.mode == "minor_pentatonic"


def test_chiptune_beats_soundtrack():
    spec = parse_message("i want something like a video game soundtrack from the 90s, 8-bit chiptune",
                         use_embeddings=False).spec
    assert spec.style == "electronic" and spec.bars == 16
