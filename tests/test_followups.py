"""What people say mid-conversation that is not an edit, and how they ask for tempos and new pieces.

Found by user testing: "is it in minor?" switched the piece to minor, "thanks, that sounds great"
recomposed it with a "great" mood, "something totally different: a rock song" restyled the old
piece, "加快到140" gave 126 bpm and "faster, like 5 bpm" 20 bpm. Checked on the parse and on the
MIDI each turn writes.
"""

from __future__ import annotations

import pretty_midi
import pytest

from assistant.chat import ChatEngine
from assistant.parser import parse_message
from assistant.store import SessionStore
from generators.baseline import BaselineGenerator

POP = "a bright pop song in G major with piano and drums at 110 bpm"


@pytest.fixture
def chat(tmp_path) -> ChatEngine:
    return ChatEngine(SessionStore(tmp_path / "db.sqlite"), tmp_path / "files", generator=BaselineGenerator(),
                      audio=False, sheets=False)


def base(text: str = POP):
    return parse_message(text, use_embeddings=False).spec


def tempo_of(result) -> float:
    return float(pretty_midi.PrettyMIDI(result.files["midi"]).get_tempo_changes()[1][0])


def programs(result) -> set[tuple[int, bool]]:
    return {(i.program, i.is_drum) for i in pretty_midi.PrettyMIDI(result.files["midi"]).instruments}


# ---- questions are answered, never carried out ---------------------------------------------------------------
@pytest.mark.parametrize("text,topic", [
    ("is it in minor?", "key"),
    ("does it have a bass line?", "instruments"),
    ("is there a bass?", "instruments"),
    ("are there drums?", "instruments"),
    ("is it in 4/4?", "meter"),
    ("who wrote the melody?", "melody_source"),
    ("有鼓吗？", "instruments"),
    ("是小调吗", "key"),
    ("谁写的旋律？", "melody_source"),
])
def test_yes_no_questions_are_answered(text, topic):
    p = parse_message(text, base(), use_embeddings=False)
    assert (p.intent, p.question) == ("question", topic)
    assert p.changes == {}


@pytest.mark.parametrize("text", ["can you make it faster?", "could you add a flute?", "能加个长笛吗？", "可以快一点吗",
                                  "is it possible to make it slower?"])
def test_requests_phrased_as_questions_are_still_edits(text):
    assert parse_message(text, base(), use_embeddings=False).intent == "edit"


def test_a_question_makes_no_version_and_the_answer_names_the_key(chat):
    first = chat.turn("s", POP, seed=1)
    r = chat.turn("s", "is it in minor?")
    assert not r.new_version and r.version == first.version
    assert "G major" in r.reply
    assert [n for n, *_ in chat.store.list_versions("s")] == [1]


def test_who_wrote_the_melody_says_which_writer(chat):
    chat.turn("s", POP, seed=1)
    r = chat.turn("s", "who wrote the melody?")
    assert not r.new_version and "rule-based" in r.reply  # the engine here runs the baseline


# ---- praise and complaints ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["thanks, that sounds great", "you're awesome", "perfect, thank you so much!",
                                  "I love this song", "不错！很好听", "很好，谢谢", "好了，就这样吧，谢谢"])
def test_praise_is_thanks_not_a_mood(text):
    p = parse_message(text, base(), use_embeddings=True)
    assert (p.intent, p.question) == ("chat", "thanks")


def test_praise_keeps_the_piece(chat):
    chat.turn("s", POP, seed=1)
    r = chat.turn("s", "thanks, that sounds great")
    assert not r.new_version and r.version == 1


@pytest.mark.parametrize("text", ["太难听了", "这个不好听", "有点无聊"])
def test_chinese_dislike_is_a_new_take(text):
    p = parse_message(text, base("来一首欢快的吉他曲"), use_embeddings=False)
    assert (p.intent, p.question) == ("chat", "dislike")


def test_praise_then_a_change_is_a_change():
    p = parse_message("thanks! now make it faster", base(), use_embeddings=False)
    assert p.intent == "edit" and p.spec.tempo_bpm > 110


# ---- a new piece in the middle of a conversation -------------------------------------------------------------
@pytest.mark.parametrize("text,style", [
    ("ok now something totally different: an upbeat rock song with drums", "rock"),
    ("let's do something else: a reggae song", "latin"),
    ("can you write another song, a lullaby for my daughter", "lullaby"),
    ("different song please: heavy metal", "rock"),
    ("forget that, compose a bossa nova", "latin"),
    ("next: a techno track", "electronic"),
    ("a sea shanty", "celtic"),
])
def test_a_new_request_mid_conversation_composes_afresh(text, style):
    p = parse_message(text, base("a jazz ballad for piano"), use_embeddings=False)
    assert p.intent == "compose" and p.spec.style == style


def test_a_new_sad_violin_piece_in_chinese_is_composed_with_a_violin():
    p = parse_message("换一首新的，要悲伤的小提琴曲", base("来一首欢快的吉他曲"), use_embeddings=False)
    assert p.intent == "compose" and p.spec.mood == "sad"
    assert p.spec.instruments[0].program == 40


def test_new_rock_song_does_not_keep_the_old_piano(chat):
    chat.turn("s", "a jazz ballad for piano", seed=1)
    r = chat.turn("s", "ok now something totally different: an upbeat rock song with drums")
    assert r.new_version and r.spec["style"] == "rock"
    assert (0, False) not in programs(r)  # the rock band, not the ballad's grand piano
    assert any(drum for _, drum in programs(r))


@pytest.mark.parametrize("text", ["a bit faster", "an octave higher", "a sadder version"])
def test_article_led_edits_stay_edits(text):
    assert parse_message(text, base(), use_embeddings=False).intent == "edit"


# ---- tempo targets and amounts -------------------------------------------------------------------------------
@pytest.mark.parametrize("text,bpm", [
    ("加快到140", 140), ("快到140", 140), ("把速度加快到120", 120), ("放慢到60", 60), ("速度降到60", 60),
    ("提到140", 140), ("慢一点，70左右", 70), ("speed up to 140", 140), ("slow it down to 80", 80),
    ("faster, around 130", 130), ("bring the tempo up to 150 bpm", 150),
    ("快10bpm", 120), ("再快20拍", 130), ("a little bit faster, like 5 bpm", 115), ("10 bpm faster", 120),
    ("slower by 20", 90), ("速度翻倍", 220), ("快一倍", 220), ("慢一半", 55), ("twice as fast", 220),
])
def test_tempo_targets_and_amounts(text, bpm):
    p = parse_message(text, base(), use_embeddings=False)
    assert p.intent == "edit" and p.spec.tempo_bpm == bpm


def test_a_tempo_target_reaches_the_midi(chat):
    chat.turn("s", "一首安静的钢琴曲，每分钟76拍", seed=1)
    r = chat.turn("s", "加快到140")
    assert r.new_version and tempo_of(r) == pytest.approx(140, abs=0.5)
    r = chat.turn("s", "快10bpm")
    assert tempo_of(r) == pytest.approx(150, abs=0.5)


# ---- Chinese numbers, meters and bars ------------------------------------------------------------------------
@pytest.mark.parametrize("text,bpm", [("BPM一百四的摇滚", 140), ("速度一百二的钢琴曲", 120), ("每分钟一百零四拍", 104)])
def test_spoken_chinese_hundreds(text, bpm):
    assert parse_message(text, use_embeddings=False).spec.tempo_bpm == bpm


@pytest.mark.parametrize("text,ts", [("四三拍的钢琴曲", "3/4"), ("四二拍的进行曲", "2/4"), ("六八拍的摇篮曲", "6/8"),
                                     ("八六拍的民谣", "6/8"), ("五四拍的爵士", "5/4")])
def test_chinese_meter_names_are_meters_not_tempos(text, ts):
    spec = parse_message(text, use_embeddings=False).spec
    assert spec.time_signature == ts
    assert spec.tempo_bpm not in (42, 43, 54, 68, 86)


@pytest.mark.parametrize("text,bars", [("八个小节的钢琴", 8), ("三十二个小节的钢琴曲", 32)])
def test_bars_with_a_classifier(text, bars):
    assert parse_message(text, use_embeddings=False).spec.bars == bars


# ---- decades, sizes and occasions ----------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["80s synthpop with a driving beat", "1920s ragtime piano",
                                  "music from the 1980s, synth heavy", "a 60s surf rock song"])
def test_decades_are_not_lengths(text):
    assert parse_message(text, use_embeddings=False).spec.bars == 16


def test_seconds_written_with_an_s_are_still_seconds():
    assert parse_message("a 30s jingle", use_embeddings=False).spec.duration_s == pytest.approx(30, abs=4)


@pytest.mark.parametrize("text,bars", [("a short sad song", 8), ("a very short tune", 4), ("a long happy song", 32),
                                       ("a quick jingle", 8), ("a notification sound", 2), ("一首简短的钢琴曲", 8)])
def test_size_words(text, bars):
    assert parse_message(text, use_embeddings=False).spec.bars == bars


def test_a_number_beats_a_size_word():
    assert parse_message("a short song, 24 bars", use_embeddings=False).spec.bars == 24


@pytest.mark.parametrize("text,style,drums,fast", [
    ("workout music", "electronic", True, True),
    ("for an intense workout", "electronic", True, True),
    ("background music for a video game boss fight", "cinematic", True, True),
    ("music for a funeral", "classical", False, False),
    ("music to fall asleep to", "ambient", False, False),
    ("a calm song for a spa", "ambient", False, False),
    ("健身房用的音乐", "electronic", True, True),
    ("睡觉时听的音乐", "ambient", False, False),
    ("整点赛博朋克风的电子乐", "electronic", True, True),
])
def test_occasions_imply_style_energy_and_drums(text, style, drums, fast):
    spec = parse_message(text, use_embeddings=True).spec
    assert spec.style == style and spec.drums is drums
    assert (spec.tempo_bpm >= 110) is fast


def test_a_named_style_beats_the_occasion():
    assert parse_message("a jazz tune for my workout", use_embeddings=False).spec.style == "jazz"


@pytest.mark.parametrize("text", ["a song about the ocean", "a song for my mom", "music about space",
                                  "a tune for my 30th birthday", "帮我写首曲子", "来首emo的歌", "游戏bgm", "做个bgm",
                                  "vlog背景音乐", "有没有那种江南水乡的感觉的曲子"])
def test_vague_requests_compose_instead_of_the_help_text(text):
    assert parse_message(text, use_embeddings=False).intent == "compose"


def test_emo_is_sad():
    assert parse_message("来首emo的歌", use_embeddings=False).spec.mood == "sad"


# ---- replies in the user's language, keys as the user spelled them ---------------------------------------------
@pytest.mark.parametrize("text", ["来个lofi beat", "说唱beat，90bpm", "来首city pop", "加个breakdown"])
def test_chinese_sentences_with_english_words_get_chinese_replies(text):
    assert parse_message(text, use_embeddings=False).lang == "zh"


def test_an_english_sentence_with_a_chinese_instrument_stays_english():
    assert parse_message("play it on a guzheng 古筝 please", use_embeddings=False).lang == "en"


@pytest.mark.parametrize("text,key", [("in C# major, bright piano", "C#"), ("a piece in Gb major", "Gb"),
                                      ("D# minor waltz", "D#"), ("降E大调的圆舞曲", "Eb")])
def test_keys_keep_the_users_spelling(text, key):
    assert parse_message(text, use_embeddings=False).spec.key == key


def test_quarter_note_equals_is_a_tempo():
    assert parse_message("quarter note = 80, piano", use_embeddings=False).spec.tempo_bpm == 80


# ---- moving between versions ---------------------------------------------------------------------------------
@pytest.mark.parametrize("text,intent,target", [
    ("go to version 9", "revert", 9), ("switch to version 3", "revert", 3), ("return to 2", "revert", 2),
    ("version 1 again", "revert", 1), ("keep version 1", "revert", 1), ("go back to the original", "revert", 1),
    ("the one before was better", "undo", None), ("nevermind, put it back", "undo", None),
    ("返回最初版本", "revert", 1), ("回到原版", "revert", 1), ("还原", "revert", 1), ("上一个版本", "undo", None),
    ("退回去", "undo", None), ("后退一步", "undo", None), ("用回v2", "revert", 2), ("切换到版本2", "revert", 2),
    ("还是第2版好", "revert", 2), ("第5版", "revert", 5),
])
def test_ways_to_move_between_versions(text, intent, target):
    p = parse_message(text, base(), use_embeddings=False)
    assert (p.intent, p.target_version) == (intent, target)


@pytest.mark.parametrize("text", ["blend 1 and 4", "merge 2 and 3"])
def test_blend_with_bare_numbers(text):
    p = parse_message(text, base(), use_embeddings=False)
    assert p.intent == "blend" and p.blend_versions is not None


def test_undo_twice_goes_back_two_versions(chat):
    chat.turn("s", POP, seed=1)
    chat.turn("s", "faster")
    chat.turn("s", "add a flute")
    r = chat.turn("s", "undo twice")
    assert r.version == 1 and not r.new_version
    assert chat.turn("s", "回到上上个版本").version == 1  # already there: nothing older to step to


def test_compare_two_versions_names_what_changed(chat):
    chat.turn("s", POP, seed=1)
    chat.turn("s", "faster")
    r = chat.turn("s", "compare version 1 and 2")
    assert not r.new_version and "110" in r.reply and "122" in r.reply
    assert chat.turn("s", "第1版和第2版有什么区别？").reply.count("第") >= 2


# ---- key, octave and length edits said the Chinese way ------------------------------------------------------
@pytest.mark.parametrize("text,semis", [("升一个八度", 12), ("提高一个八度", 12), ("降两个八度", -24), ("调子高一点", 2),
                                        ("调低一点", -2)])
def test_chinese_octaves_and_key_steps(text, semis):
    p = parse_message(text, base("来一首欢快的吉他曲"), use_embeddings=False)
    assert p.changes.get("transpose") == semis and "nudge" not in p.changes


@pytest.mark.parametrize("text,key", [("转调到A", "A"), ("调到E", "E")])
def test_chinese_key_targets(text, key):
    assert parse_message(text, base("来一首欢快的吉他曲"), use_embeddings=False).spec.key == key


@pytest.mark.parametrize("text,bars", [("再短一点，20秒", 9), ("shorter, like 20 seconds", 9), ("cut it in half", 8)])
def test_shorter_to_a_length(text, bars):
    p = parse_message(text, base(), use_embeddings=False)
    assert p.intent == "shorter" and p.changes["bars"] == bars


def test_half_of_fourteen_bars_is_eight():
    p = parse_message("cut it in half", base(POP + ", 14 bars"), use_embeddings=False)
    assert p.changes["bars"] == 8


def test_longer_to_a_minute(chat):
    chat.turn("s", POP + ", 16 bars", seed=1)
    r = chat.turn("s", "加长到一分钟")
    pm = pretty_midi.PrettyMIDI(r.files["midi"])
    assert r.new_version and 55 <= pm.get_end_time() <= 66


# ---- the mix the user set survives later changes -------------------------------------------------------------
def _cc(result, number: int) -> dict[str, int]:
    pm = pretty_midi.PrettyMIDI(result.files["midi"])
    return {("drums" if i.is_drum else i.name): next((c.value for c in i.control_changes if c.number == number), -1)
            for i in pm.instruments}


@pytest.mark.parametrize("follow", ["make it longer", "try again", "i don't like it", "give me a variation", "happier"])
def test_volume_and_reverb_survive_later_changes(chat, follow):
    chat.turn("s", "a pop song with piano, bass and drums", seed=1)
    quiet = chat.turn("s", "the drums are way too loud")
    wet = chat.turn("s", "more reverb")
    assert _cc(wet, 7)["drums"] == _cc(quiet, 7)["drums"] < 100
    r = chat.turn("s", follow)
    assert r.new_version
    assert _cc(r, 7)["drums"] == _cc(wet, 7)["drums"]
    assert _cc(r, 91)["drums"] == _cc(wet, 91)["drums"]


# ---- replies without jargon ----------------------------------------------------------------------------------
def test_chinese_replies_name_the_model_and_keys_in_chinese(chat):
    r = chat.turn("s", "一首降B大调的钢琴曲", seed=1)
    assert "降B大调" in r.reply and "neural-" not in r.reply and "baseline）" in r.reply
    r = chat.turn("s", "换成3/4拍")
    assert "time_signature" not in r.reply and "拍号" in r.reply


# ---- mood edits change the music, not just the label ------------------------------------------------------------
def _key_sig(result) -> int:
    return pretty_midi.PrettyMIDI(result.files["midi"]).key_signature_changes[0].key_number


def test_sadder_moves_a_major_piece_to_minor_and_relabels_it(chat):
    chat.turn("s", POP, seed=1)
    r = chat.turn("s", "make it sadder")
    assert r.new_version and r.spec["mode"] == "minor" and r.spec["mood"] != "happy"
    assert _key_sig(r) == pretty_midi.key_name_to_key_number("G minor")


def test_a_happier_mood_on_a_sad_piece_is_major_and_livelier(chat):
    first = chat.turn("s", "给我一首忧伤的大提琴曲", seed=1)
    r = chat.turn("s", "换成欢快的")
    assert r.spec["mode"] == "major" and r.spec["tempo_bpm"] > first.spec["tempo_bpm"]
    assert r.spec["mood"] == "happy"


def test_a_mode_change_relabels_the_mood():
    p = parse_message("换成小调", base("来一首欢快的笛子曲"), use_embeddings=False)
    assert p.spec.mood not in ("happy", "excited", "playful")


def test_a_nudge_with_another_change_does_both(chat):
    chat.turn("s", "a pop song with piano and drums", seed=1)
    r = chat.turn("s", "add strings and make it sadder")
    assert r.new_version and r.spec["mode"] == "minor"
    assert any(48 <= prog <= 51 for prog, _ in programs(r))


def test_longer_with_another_change_says_what_is_left(chat):
    chat.turn("s", "a pop song with piano and drums", seed=1)
    r = chat.turn("s", "remove the drums and make it longer")
    assert r.new_version and r.spec["bars"] == 24
    assert "also asked" in r.reply


# ---- songs: voices, more words, the words themselves ----------------------------------------------------------
SONG = ("Set these lyrics to a gentle melody:\nSleepy kitten on the chair\nDreaming softly in the air\n"
        "Morning comes and she will wake\nStretching for the sunshine's sake")


def _sung_pitches(result) -> list[int]:
    pm = pretty_midi.PrettyMIDI(result.files["midi"])
    voice = next(i for i in pm.instruments if i.program in (52, 53, 54))
    return [n.pitch for n in voice.notes]


def test_male_and_female_voices_move_the_sung_line(chat):
    first = chat.turn("s", SONG, seed=1)
    male = chat.turn("s", "sing it with a male voice")
    assert male.new_version
    assert sum(_sung_pitches(male)) / len(_sung_pitches(male)) < sum(_sung_pitches(first)) / len(_sung_pitches(first))
    female = chat.turn("s", "换成女声")
    assert 62 <= sum(_sung_pitches(female)) / len(_sung_pitches(female)) <= 76


def test_sing_it_higher_raises_the_key_a_step(chat):
    first = chat.turn("s", SONG, seed=1)
    r = chat.turn("s", "sing it higher")
    assert [p + 2 for p in _sung_pitches(first)] == _sung_pitches(r)


def test_asking_for_the_lyrics_shows_them(chat):
    chat.turn("s", SONG, seed=1)
    for ask in ("what are the lyrics?", "歌词是什么"):
        r = chat.turn("s", ask)
        assert not r.new_version and "Dreaming softly in the air" in r.reply


def test_a_second_verse_is_added_after_the_first(chat):
    chat.turn("s", SONG, seed=1)
    r = chat.turn("s", "add a second verse:\nMorning comes and she awakes\nStretching in the sun\n"
                       "Chasing shadows, chasing flakes\nHer adventures just begun")
    lines = [ln["line"] for ln in r.spec["lyrics"]]
    assert lines[0] == "Sleepy kitten on the chair" and lines[-1] == "Her adventures just begun" and len(lines) == 8
    assert r.spec["style"] != "chorale"


# ---- traditional characters, words inside words, fusions ----------------------------------------------------
@pytest.mark.parametrize("text,mood", [("來一首歡快的笛子曲", "happy"), ("來首悲傷的鋼琴曲，慢一點", "sad"),
                                       ("來一首快樂的歌", "happy")])
def test_traditional_characters_read_like_simplified(text, mood):
    spec = parse_message(text, use_embeddings=False).spec
    assert spec.mood == mood


def test_happy_is_not_fast():
    """快乐 (happy) holds 快 (fast): the word is read whole."""
    assert parse_message("一首快乐的钢琴曲", use_embeddings=False).spec.tempo_bpm < 125


def test_metal_in_chinese_is_rock_with_guitars():
    spec = parse_message("BPM一百四的金属", use_embeddings=False).spec
    assert spec.style == "rock" and spec.tempo_bpm == 140 and spec.instruments[0].program in (29, 30)


@pytest.mark.parametrize("text,style", [("中国风的说唱beat", "hiphop"), ("国风电子", "electronic")])
def test_chinese_flavour_over_another_groove(text, style):
    spec = parse_message(text, use_embeddings=False).spec
    assert spec.style == style and spec.drums and spec.mode == "major_pentatonic"
    assert spec.instruments[0].program == 73  # the bamboo-flute lead


def test_sad_music_with_no_genre_has_no_drum_kit():
    assert parse_message("a sad song", use_embeddings=False).spec.drums is False
    assert parse_message("a sad pop song", use_embeddings=False).spec.drums is True


def test_a_different_melody_keeps_the_chords(chat):
    first = chat.turn("s", POP, seed=1)
    r = chat.turn("s", "a different melody but keep the chords")
    assert r.intent == "variation" and r.new_version

    def chords(res):
        pm = pretty_midi.PrettyMIDI(res.files["midi"])
        return [(n.pitch, round(n.start, 2)) for i in pm.instruments if i.program == 25 for n in i.notes]

    assert chords(first) == chords(r)


# ---- mix complaints with two parts, duets, drum solos -----------------------------------------------------------
def test_two_clauses_move_two_parts(chat):
    chat.turn("s", "a slow romantic piece: cello melody with piano and upright bass, no drums", seed=1)
    r = chat.turn("s", "perfect, but could the bass be a little softer and the cello a bit louder?")
    vols = _cc(r, 7)
    assert vols["Acoustic Bass"] < vols["Cello"]
    assert "quieter" in r.reply and "louder" in r.reply


def test_a_duet_with_cello_adds_the_cello_and_keeps_the_violin(chat):
    first = chat.turn("s", "a sad violin solo", seed=1)
    r = chat.turn("s", "make it a duet with cello")
    assert r.new_version and {40, 42} <= {prog for prog, _ in programs(r)}
    assert r.spec["mood"] == first.spec["mood"]


@pytest.mark.parametrize("text", ["a sad cello and piano duet, slow, in A minor, 3/4",
                                  "cello, piano and upright bass"])
def test_the_cello_sings_over_a_piano(text):
    spec = parse_message(text, use_embeddings=False).spec
    assert spec.instruments[0].program == 42 and spec.instruments[0].role == "melody"


def test_a_drum_solo_reply_lists_no_chords(chat):
    r = chat.turn("s", "a drum solo", seed=1)
    assert "Chords" not in r.reply and "Melody by" not in r.reply


# ---- round two: lengths, praise, transpositions, questions about versions, restoring ----------------------------
@pytest.mark.parametrize("text,intent,key,value", [
    ("增加8小节", "longer", "extra_bars", 8), ("多加4个小节", "longer", "extra_bars", 4),
    ("删掉最后4小节", "shorter", "bars", 12), ("减少4小节", "shorter", "bars", 12), ("去掉最后两小节", "shorter", "bars", 14),
    ("长度翻倍", "longer", "extra_bars", 16), ("make it 2 times longer", "longer", "extra_bars", 16),
])
def test_relative_lengths(text, intent, key, value):
    p = parse_message(text, base(POP + ", 16 bars"), use_embeddings=False)
    assert p.intent == intent and p.changes[key] == value and "tempo_bpm" not in p.changes


@pytest.mark.parametrize("text,bpm", [("three times faster", 300), ("not so slow", 122), ("别那么快", 98)])
def test_multipliers_and_not_so(text, bpm):
    assert parse_message(text, base(), use_embeddings=False).spec.tempo_bpm == bpm


@pytest.mark.parametrize("text,changes", [
    ("love it! can you add a flute?", {"add_part"}), ("I love the melody, can you add a flute?", {"add_part"}),
    ("love it! can you make it a bit faster?", {"tempo_bpm"}), ("nice one, now in minor", {"mode"}),
])
def test_praise_in_front_of_a_request_is_not_a_mood(text, changes):
    p = parse_message(text, base(), use_embeddings=True)
    assert set(p.changes) == changes


def test_thanks_she_loves_it_is_thanks():
    p = parse_message("thanks, she loves it", base(), use_embeddings=True)
    assert (p.intent, p.question) == ("chat", "thanks")


@pytest.mark.parametrize("text,semis", [("change the key up a fourth", 5), ("raise the key by a fifth", 7),
                                        ("change the key down a third", -4), ("升高小三度", 3), ("降低大二度", -2),
                                        ("升key", 1), ("降两个key", -2)])
def test_interval_transpositions(text, semis):
    assert parse_message(text, base(), use_embeddings=False).changes.get("transpose") == semis


def test_from_one_key_to_another():
    assert parse_message("E调改成G调", base("来一首欢快的吉他曲，E大调"), use_embeddings=False).spec.key == "G"


def test_drum_machine_808s_are_not_seconds():
    assert parse_message("trap beat with 808s and hi hats, dark, 70 bpm", use_embeddings=False).spec.bars == 16


def test_a_minute_and_twenty_seconds():
    assert parse_message("a song that lasts about a minute and 20 seconds",
                         use_embeddings=False).spec.duration_s == pytest.approx(80, abs=4)


@pytest.mark.parametrize("text", ["anything except electronic, something relaxing", "not electronic, relaxing"])
def test_a_refused_genre_is_not_chosen(text):
    assert parse_message(text, use_embeddings=False).spec.style != "electronic"


def test_not_sad_is_not_sad():
    spec = parse_message("it should not be sad, a piano piece", use_embeddings=False).spec
    assert spec.mood != "sad" and spec.valence > 0


def test_a_bit_less_sad_stays_in_minor():
    p = parse_message("a bit less sad", base("a sad piano piece in A minor"), use_embeddings=False)
    assert p.spec.mode == "minor" and p.changes["nudge"]["valence"] > 0


def test_why_questions_and_questions_about_one_version(chat):
    chat.turn("s", "来首流行歌，要有鼓", seed=1)
    chat.turn("s", "快一点")
    for ask in ("为什么没有鼓？", "为什么听起来有点悲伤？", "why is it so slow?"):
        r = chat.turn("s", ask)
        assert r.intent == "question" and not r.new_version and r.version == 2
    r = chat.turn("s", "第一版是什么调？")
    assert r.version == 2 and "第1版" in r.reply and "C大调" in r.reply
    r = chat.turn("s", "这一版和第一版有什么不同？")
    assert r.version == 2 and "区别" in r.reply


def test_picking_a_take_and_editing_an_older_one(chat):
    chat.turn("s", POP, seed=1)
    chat.turn("s", "faster")
    assert chat.turn("s", "我还是喜欢第1个").version == 1
    r = chat.turn("s", "在第2个基础上加一把小提琴")
    assert r.new_version and r.spec["tempo_bpm"] == 122 and (40, False) in programs(r)


def test_restoring_the_first_tempo_and_key(chat):
    chat.turn("s", "来一首欢快的吉他曲", seed=1)
    chat.turn("s", "加快一倍")
    chat.turn("s", "换成b小调")
    r = chat.turn("s", "太快了，恢复原来的速度")
    assert tempo_of(r) == pytest.approx(114, abs=0.5)
    r = chat.turn("s", "改回原调")
    assert r.spec["key"] == "C" and r.spec["mode"] == "major"


def test_back_to_a_version_by_description(chat):
    chat.turn("s", "a relaxing piano piece", seed=1)
    chat.turn("s", "make it a punk rock song with drums")
    r = chat.turn("s", "back to the relaxing one")
    assert r.intent == "revert" and r.version == 1
    r = chat.turn("s", "go back to the jazzy version")
    assert r.version == 1 and not r.new_version and "couldn't tell" in r.reply


def test_a_style_change_brings_its_own_energy():
    p = parse_message("make it a punk rock song", base("a relaxing piano piece at 70 bpm"), use_embeddings=False)
    assert p.spec.style == "rock" and p.spec.mood != "calm" and p.spec.tempo_bpm >= 90


def test_which_style_when_none_is_named(chat):
    chat.turn("s", POP, seed=1)
    r = chat.turn("s", "换个风格")
    assert not r.new_version and "爵士" in r.reply


def test_export_as_mp3_says_which_formats(chat):
    chat.turn("s", POP, seed=1)
    r = chat.turn("s", "export as mp3")
    assert not r.new_version and "OGG" in r.reply and r.files["midi"]


# ---- endings, parts, dynamics, the versions list, named chords ---------------------------------------------------
@pytest.mark.parametrize("text", ["slow down at the end", "add a ritardando at the end", "结尾慢下来"])
def test_a_ritardando_is_declined_not_applied_to_the_whole_piece(chat, text):
    first = chat.turn("s", POP, seed=1)
    r = chat.turn("s", text)
    assert not r.new_version and r.version == first.version and ("tempo" in r.reply or "速度" in r.reply)


def _part_notes(result, drum: bool, program: int | None = None) -> list:
    pm = pretty_midi.PrettyMIDI(result.files["midi"])
    return [(n.pitch, round(n.start, 3)) for i in pm.instruments if i.is_drum == drum
            and (program is None or i.program == program) for n in i.notes]


def test_less_busy_drums_thin_the_drums_and_keep_the_melody(chat):
    first = chat.turn("s", POP, seed=1)
    r = chat.turn("s", "make the drums less busy")
    assert r.new_version and len(_part_notes(r, True)) < len(_part_notes(first, True))
    assert _part_notes(r, False, 0) == _part_notes(first, False, 0)  # the piano tune is note for note the same


def test_simpler_chords_thin_the_accompaniment(chat):
    first = chat.turn("s", POP, seed=1)
    r = chat.turn("s", "simplify the chords")
    assert len(_part_notes(r, False, 25)) < len(_part_notes(first, False, 25))
    assert _part_notes(r, False, 0) == _part_notes(first, False, 0)


def _velocities(result) -> list[int]:
    pm = pretty_midi.PrettyMIDI(result.files["midi"])
    return [n.velocity for i in pm.instruments for n in sorted(i.notes, key=lambda n: (n.start, n.pitch))]


def test_softer_overall_is_gentler_playing_of_the_same_notes(chat):
    first = chat.turn("s", POP, seed=1)
    r = chat.turn("s", "slower and softer")
    assert r.new_version and tempo_of(r) < tempo_of(first)
    assert sum(_velocities(r)) < 0.9 * sum(_velocities(first))
    assert len(_velocities(r)) == len(_velocities(first))


def test_a_crescendo_builds(chat):
    chat.turn("s", POP, seed=1)
    r = chat.turn("s", "加个渐强")
    pm = pretty_midi.PrettyMIDI(r.files["midi"])
    notes = [n for i in pm.instruments if not i.is_drum for n in i.notes]
    end = pm.get_end_time()
    early = [n.velocity for n in notes if n.start < end / 4]
    late = [n.velocity for n in notes if n.start > 3 * end / 4]
    assert sum(late) / len(late) > sum(early) / len(early) + 10


def test_a_child_who_cannot_reach_the_notes_gets_a_lower_key(chat):
    chat.turn("s", "儿歌，给小朋友唱的", seed=1)
    r = chat.turn("s", "低一点，小朋友唱不上去")
    assert r.new_version and "-2" in r.reply


def test_the_versions_list_says_what_made_each_version(chat):
    chat.turn("s", POP, seed=1)
    chat.turn("s", "give me a variation")
    chat.turn("s", "try again")
    r = chat.turn("s", "show me all versions")
    assert "give me a variation" in r.reply and "try again" in r.reply


def test_named_chords_are_the_progression(chat):
    r = chat.turn("s", "a pop song with the chords Am F C G, 8 bars", seed=1)
    assert "Am – F – C – G – Am – F – C – Am" in r.reply  # the last bar comes home
    guitar = pretty_midi.PrettyMIDI(r.files["midi"]).instruments[1]
    spb = 60.0 / tempo_of(r)
    bar2 = {n.pitch % 12 for n in guitar.notes if 4 * spb <= n.start < 8 * spb - 0.1}
    assert bar2 <= {5, 9, 0}  # F major in the second bar


@pytest.mark.parametrize("first,ask,style,meter", [
    ("an acoustic guitar folk song in G major, with drums", "make it jazzier", "jazz", "4/4"),
    ("a pop song", "make it sound like a lullaby", "lullaby", "3/4"),
    ("a pop song", "make it a waltz", "waltz", "3/4"),
])
def test_a_restyle_brings_the_styles_band_and_meter(chat, first, ask, style, meter):
    chat.turn("s", first, seed=1)
    before = chat.turn("s", "what instruments are playing?")
    r = chat.turn("s", ask)
    assert r.spec["style"] == style and r.spec["time_signature"] == meter
    assert r.spec["instruments"][0]["program"] == before.spec["instruments"][0]["program"]  # the tune's voice stays
    assert [i["program"] for i in r.spec["instruments"][1:]] != [i["program"] for i in before.spec["instruments"][1:]]


def test_a_band_the_user_chose_stays_on_a_restyle():
    p = parse_message("make it jazz", base("a violin and cello duet"), use_embeddings=False)
    assert [i.program for i in p.spec.instruments] == [40, 42]


def test_one_part_moves_an_octave_and_the_others_stay(chat):
    first = chat.turn("s", "a gentle waltz for violin and piano", seed=1)
    r = chat.turn("s", "can the violin play an octave higher?")
    assert r.new_version
    assert [p + 12 for p in (x for x, _ in _part_notes(first, False, 40))] == [x for x, _ in _part_notes(r, False, 40)]
    assert _part_notes(r, False, 0) == _part_notes(first, False, 0)
