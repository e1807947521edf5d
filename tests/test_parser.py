"""Requests -> MusicSpec: what a user asks for is what the spec says (lexicon path, fast)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.parser import conditioning_of, parse_message
from music.conditioning import COND_DIM
from music.theory import note_name_to_pc

DEV = Path(__file__).parent / "data" / "requests_dev.jsonl"


def parse(text: str):
    return parse_message(text, None, use_embeddings=False)


def pc(name: str) -> int:
    return note_name_to_pc(name)


@pytest.mark.parametrize(
    ("text", "bpm"),
    [
        ("70 bpm piano", 70), ("a 120BPM pop song", 120), ("tempo 132, rock", 132), ("速度140的钢琴曲", 140),
        ("每分钟120拍的流行歌", 120), ("sixty beats per minute on cello", 60),
        ("seventy-five beats per minute", 75), ("a jazz tune around 90 bpm", 90), ("速度一百二十", 120),
        ("欢快的流行歌，C大调，100拍", 100), ("一首80拍的慢歌，3/4拍", 80), ("BPM 100的流行歌", 100), ("流行歌，节奏100", 100),
    ],
)
def test_tempo_numbers(text, bpm):
    assert parse(text).spec.tempo_bpm == pytest.approx(bpm, abs=1)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("largo for organ", 40, 60), ("adagio, strings", 60, 80), ("andante for flute", 80, 100),
        ("moderato piano", 100, 120), ("allegro violin", 120, 150), ("presto!", 168, 200),
        ("a very slow piano piece", 40, 60), ("a slow song", 56, 76), ("a fast rock song", 120, 150),
        ("慢一点的钢琴曲", 60, 80), ("a jazz ballad with electric bass", 60, 80), ("快节奏的电子乐", 120, 150), ("舒缓的古筝", 60, 80), ("not too fast, guitar", 85, 100),
    ],
)
def test_tempo_words(text, lo, hi):
    assert lo <= parse(text).spec.tempo_bpm <= hi

@pytest.mark.parametrize(
    ("word", "lo", "hi"),
    [
        ("Grave", 20, 40), ("Largo", 41, 60), ("Adagio", 61, 70), ("Andante", 71, 90), ("Moderato", 91, 110),
        ("Allegro", 111, 140), ("Vivace", 141, 160), ("Presto", 161, 210), ("Prestissimo", 211, 300),
        ("slow", 20, 80), ("moderate", 81, 120), ("fast", 121, 160), ("very fast", 161, 300),
    ],
)
def test_caption_tempo_words_land_in_the_range_captions_use_them_for(word, lo, hi):
    """MidiCaps-style captions name a tempo by these words, each written for one bpm range."""
    assert lo <= parse(f"An electronic song with a {word} tempo, in the key of A minor.").spec.tempo_bpm <= hi



@pytest.mark.parametrize(
    ("text", "key", "mode"),
    [
        ("a waltz in D minor", "D", "minor"), ("C sharp minor nocturne", "C#", "minor"), ("F#m ballad", "F#", "minor"),
        ("Bb major march", "Bb", "major"), ("Gmaj, guitar", "G", "major"), ("E dorian groove", "E", "dorian"),
        ("dorian on E, flute", "E", "dorian"), ("D大调的小提琴曲", "D", "major"), ("降B大调进行曲", "Bb", "major"),
        ("E小调吉他", "E", "minor"), ("in the key of A minor", "A", "minor"), ("A phrygian riff", "A", "phrygian"),
        ("E flat major hymn", "Eb", "major"), ("升F小调", "F#", "minor"),
    ],
)
def test_keys(text, key, mode):
    spec = parse(text).spec
    assert pc(spec.key) == pc(key) and spec.mode == mode


def test_article_is_not_the_key_of_a():
    spec = parse("a sad song in a minor key").spec
    assert spec.mode == "minor"
    assert parse("a happy tune").spec.mode != "minor"


def test_key_without_mode_follows_the_mood():
    p = parse("a sad song in D")
    assert p.spec.mode in ("minor", "dorian", "phrygian", "harmonic_minor")
    assert any("no mode given for D" in n for n in p.notes)
    assert parse("a happy song in D").spec.mode == "major"


def test_pentatonic_and_negated_mode():
    assert parse("五声音阶的笛子曲").spec.mode == "major_pentatonic"
    assert parse("a minor pentatonic riff in C").spec.mode == "minor_pentatonic"
    assert parse("a song not in major").spec.mode == "minor"


@pytest.mark.parametrize(
    ("text", "ts"),
    [
        ("in 3/4 on piano", "3/4"), ("6/8 jig", "6/8"), ("7/8 groove", "7/8"), ("three-four time", "3/4"),
        ("two-four, accordion", "2/4"), ("三拍子的钢琴曲", "3/4"), ("a waltz", "3/4"), ("an irish jig", "6/8"),
        ("a march", "2/4"), ("a waltz in 4/4", "4/4"),
    ],
)
def test_meter(text, ts):
    assert parse(text).spec.time_signature == ts


@pytest.mark.parametrize(
    ("text", "bars"),
    [
        ("8 bars of piano", 8), ("16小节的古筝曲", 16), ("30 seconds at 120 bpm in 4/4", 15),
        ("40秒，每分钟90拍，3/4拍", 20), ("a minute of piano at 60 bpm", 15), ("two minutes at 128 bpm", 64),
        ("一首约一分半钟的吉他曲，每分钟80拍", 30), ("1分30秒的钢琴曲，每分钟80拍", 30),
        ("a one and a half minute guitar piece at 80 bpm", 30), ("两分半钟，每分钟96拍", 60),
    ],
)
def test_length(text, bars):
    assert parse(text).spec.bars == bars


def test_default_bars_and_seed():
    spec = parse("a happy song").spec
    assert spec.bars == 16 and spec.seed == 0
    assert parse("a happy song, seed 42").spec.seed == 42


def programs(spec) -> list[int]:
    return [i.program for i in spec.instruments if not i.is_drum]


@pytest.mark.parametrize(
    ("text", "progs"),
    [
        ("upright piano", [0]), ("nylon guitar", [24]), ("rhodes", [4]), ("strings", [48]), ("choir", [52]),
        ("music box", [10]), ("pizzicato strings", [45]), ("钢琴", [0]), ("小提琴和大提琴", [40, 42]),
        ("长笛", [73]), ("萨克斯", [65]), ("八音盒", [10]), ("弦乐", [48]), ("Acoustic Guitar (steel)", [25]),
        ("Tubular Bells and Timpani", [14, 47]), ("string quartet", [40, 40, 41, 42]),
        ("brass band", [56, 60, 57, 58]),
    ],
)
def test_instruments(text, progs):
    assert programs(parse(text).spec) == progs


def test_instruments_without_a_gm_patch_are_substituted_and_said():
    p = parse("an erhu solo")
    assert programs(p.spec) == [40]
    assert any("erhu" in n and "Violin" in n for n in p.notes)
    p = parse("琵琶独奏")
    assert programs(p.spec) == [106] and any("琵琶" in n for n in p.notes)
    assert programs(parse("a kazoo tune").spec) == [85]


def test_roles_first_leads_bass_takes_bass_piano_takes_chords():
    spec = parse("violin, piano and double bass").spec
    roles = {i.program: i.role for i in spec.instruments}
    assert roles == {40: "melody", 0: "chords", 32: "bass"}


@pytest.mark.parametrize(
    ("text", "drums"),
    [("a pop song with drums", True), ("rock song, no drums", False), ("加鼓的钢琴曲", True),
     ("不要鼓，吉他", False), ("piano and violin", False), ("a hip hop beat with piano", True)],
)
def test_drums(text, drums):
    spec = parse(text).spec
    assert spec.drums is drums
    assert any(i.is_drum for i in spec.instruments) is drums  # a kit appears iff drums


def test_drums_only():
    spec = parse("drums only, 8 bars").spec
    assert spec.drums and all(i.is_drum for i in spec.instruments)


def test_style_defaults_fill_the_ensemble_and_tempo():
    spec = parse("a lullaby").spec
    assert spec.style == "lullaby" and spec.instruments and not spec.drums
    assert 56 <= spec.tempo_bpm <= 80
    spec = parse("a rock song").spec
    assert spec.style == "rock" and spec.drums and 100 <= spec.tempo_bpm <= 150


@pytest.mark.parametrize(
    ("text", "vsign", "asign"),
    [("a happy upbeat song", 1, 1), ("a sad slow piano piece", -1, -1), ("a tense, anxious thriller cue", -1, 1),
     ("calm and peaceful", 1, -1), ("欢快的笛子曲", 1, 1), ("悲伤的二胡", -1, -1), ("not sad at all", 1, None)],
)
def test_mood_signs(text, vsign, asign):
    spec = parse(text).spec
    assert (spec.valence > 0) == (vsign > 0)
    if asign is not None:
        assert (spec.arousal > 0) == (asign > 0)


def test_two_keys_are_resolved_with_a_note():
    p = parse("D minor or G major, piano")
    assert pc(p.spec.key) == pc("D") and p.spec.mode == "minor"
    assert any("two keys" in n for n in p.notes)


def test_out_of_range_tempo_and_bars_are_clamped_with_a_note():
    p = parse("tempo 100000, 500 bars")
    assert p.spec.tempo_bpm == 300 and p.spec.bars == 128
    assert any("300" in n for n in p.notes) and any("128" in n for n in p.notes)
    p = parse("速度5")
    assert p.spec.tempo_bpm == 20 and p.lang == "zh" and any("速度" in n for n in p.notes)


def test_language():
    assert parse("来一首欢快的笛子曲").lang == "zh"
    assert parse("a happy flute tune").lang == "en"
    assert parse("一首D大调的piano曲子").lang == "zh"


def test_conditioning_vector_has_the_shared_size():
    vec = conditioning_of(parse("a sad waltz in D minor").spec)
    assert len(vec) == COND_DIM and vec[3] == -1.0


def test_every_spec_field_is_filled_for_the_cli_json():
    d = parse("a sad, slow piano waltz in D minor").spec.to_dict()
    for key in ("tempo_bpm", "key", "mode", "time_signature", "bars", "instruments", "drums", "mood", "valence",
                "arousal", "style", "seed", "density", "register", "duration_s"):
        assert d[key] is not None


def test_dev_set_has_enough_rows_in_both_languages():
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 250
    assert sum(r["lang"] == "zh" for r in rows) >= 50
    assert {r["kind"] for r in rows} >= {"request", "caption", "chat", "follow-up"}


def test_a_named_chord_progression_implies_the_key():
    from assistant.parser import parse_message

    spec = parse_message("A classical piece for oboe; the main theme is built around the chords E, A, D, E7, A.",
                         use_embeddings=False).spec
    assert (spec.key, spec.mode) == ("A", "major")
    spec = parse_message("a brooding piece over the progression Dm, Gm, A7, Dm", use_embeddings=False).spec
    assert (spec.key, spec.mode) == ("D", "minor")
    # an explicitly named key always wins over the chords
    spec = parse_message("in G major, with the chords E, A, D", use_embeddings=False).spec
    assert (spec.key, spec.mode) == ("G", "major")


def test_a_precise_italian_term_beats_a_plain_word_of_the_same_class():
    from assistant.parser import parse_message

    assert parse_message("this fast jazz piece is in a Prestissimo tempo", use_embeddings=False).spec.tempo_bpm > 200


def test_a_christmas_song_is_bright_pop_and_a_carol_is_a_chorale():
    song = parse("a cheerful christmas song for children").spec
    assert song.style == "pop" and song.mode == "major" and song.tempo_bpm >= 110
    assert parse("a christmas carol for choir").spec.style == "chorale"


@pytest.mark.parametrize("text", ["a tense thriller cue for strings", "a horror movie theme", "影视配乐，紧张一点"])
def test_film_cues_are_cinematic(text):
    spec = parse(text).spec
    assert spec.style == "cinematic" and spec.valence < 0


def test_mood_sets_the_tempo_when_none_is_stated():
    sad, happy, calm = (parse(t).spec.tempo_bpm for t in ("a sad song", "a happy song", "一首安静的歌"))
    assert sad <= 90 and calm <= 80 and happy >= 105
    assert parse("the music is briskly paced").spec.tempo_bpm >= 120


@pytest.mark.parametrize("text", ["a jazzy piano trio tune in Bb, swing feel", "爵士钢琴三重奏"])
def test_a_jazz_piano_trio_is_piano_bass_and_drums(text):
    spec = parse(text).spec
    assert spec.style == "jazz" and spec.drums
    assert {i.program for i in spec.instruments if not i.is_drum} == {0, 32}  # piano and acoustic bass
    classical = parse("a piano trio in the classical style").spec
    assert {i.program for i in classical.instruments} == {40, 0, 42}  # violin, piano, cello


@pytest.mark.parametrize(("text", "drums"), [("a rock song with electric guitar", True),
                                             ("a techno track with a synth lead", True),
                                             ("a pop song on piano", False), ("a rock guitar solo", False),
                                             ("a rock song with electric guitar, no drums", False),
                                             ("a sad piano waltz", False)])
def test_one_named_instrument_keeps_the_styles_band_unless_it_plays_alone(text, drums):
    from music.arrange import ensemble

    spec = parse(text).spec
    parts = ensemble(spec)
    assert spec.drums is drums and any(p.is_drum for p in parts) is drums
    if drums:  # a band: the style's bass comes along
        assert any(p.role == "bass" for p in parts)


@pytest.mark.parametrize(("text", "programs"), [("a rock song with guitar", {29}), ("a jazz ballad with guitar and bass", {26, 32}),
                                                ("a folk song with guitar", {25}), ("a rock song with acoustic guitar", {25}),
                                                ("a pop song with bass and piano", {0, 33})])
def test_a_plain_guitar_or_bass_is_the_named_styles_own(text, programs):
    spec = parse(text).spec
    assert {i.program for i in spec.instruments if not i.is_drum} == programs
    lead = next(i for i in spec.instruments if i.role == "melody")
    assert lead.program not in range(32, 40) or len(programs) == 1  # a bass leads only when it plays alone


@pytest.mark.parametrize(("text", "bass_program"), [("a jazz ballad with electric bass", 33),
                                                    ("a funk groove with slap bass", 36), ("pop song with drums and bass", 33),
                                                    ("欢快的流行歌，加鼓和贝斯", 33)])
def test_a_named_bass_plays_the_bass_line_in_the_styles_band(text, bass_program):
    from music.arrange import ensemble

    parts = ensemble(parse(text).spec)
    assert [p.program for p in parts if p.role == "bass"] == [bass_program]
    lead = next(p for p in parts if p.role == "melody")
    assert lead.program not in range(32, 40)


@pytest.mark.parametrize(("text", "lead"), [("a slap bass solo", 36), ("a sad piece with cello", 42),
                                            ("electric bass on the melody, funk", 33)])
def test_a_bass_or_cello_still_leads_when_asked_or_alone(text, lead):
    spec = parse(text).spec
    assert next(i.program for i in spec.instruments if i.role == "melody") == lead


@pytest.mark.parametrize(("text", "programs", "drums"), [
    ("solo violin piece", [40], False), ("小提琴独奏", [40], False), ("a piece for two violins", [40, 40], False),
    ("violin duet", [40, 40], False), ("只要吉他和鼓", [25, 25], True), ("a song with just piano and drums", [0, 0], True),
    ("no piano, just strings, slow", [48, 48], False), ("a cappella song", None, False),
])
def test_solo_just_and_duets_get_only_what_was_named(text, programs, drums):
    from music.arrange import ensemble

    parts = ensemble(parse(text).spec)
    pitched = [p.program for p in parts if not p.is_drum]
    if programs is None:  # a cappella: voices only
        assert pitched and set(pitched) <= {52, 53, 54}
    else:
        assert pitched == programs
    assert any(p.is_drum for p in parts) is drums


@pytest.mark.parametrize(("text", "lead"), [("a piano and violin duet", 40), ("jazz with piano and sax", 65),
                                            ("piano and flute, calm", 73), ("a pop song with piano, bass and drums", 0),
                                            ("piano with strings", 0)])
def test_a_melody_instrument_named_with_a_piano_sings_while_the_piano_accompanies(text, lead):
    spec = parse(text).spec
    assert next(i.program for i in spec.instruments if i.role == "melody") == lead


@pytest.mark.parametrize(("text", "style", "meter", "drums"), [
    ("a calm lo-fi beat with rhodes and bass, around 80 bpm", "lofi", "4/4", True),
    ("生日快乐风格的欢快儿歌", "pop", "4/4", True), ("a cheerful birthday song for kids", "pop", "4/4", True),
    ("epic orchestral battle music", "cinematic", "4/4", True), ("a sad film theme", "cinematic", "4/4", False),
    ("a lullaby for my baby", "lullaby", "3/4", False),
])
def test_everyday_descriptions_get_the_style_and_kit_they_imply(text, style, meter, drums):
    spec = parse(text).spec
    assert (spec.style, spec.time_signature, spec.drums) == (style, meter, drums)


def test_a_guest_soloist_leads_an_ensemble():
    spec = parse("jazz trio with saxophone").spec
    roles = {i.program: i.role for i in spec.instruments if not i.is_drum}
    assert roles[65] == "melody" and roles[0] == "chords" and spec.drums


@pytest.mark.parametrize(("text", "key", "mode"), [("piano piece in H major", "B", "major"),
                                                   ("a piece in H minor", "B", "minor"), ("H大调钢琴曲", "B", "major")])
def test_german_h_is_b_natural(text, key, mode):
    spec = parse(text).spec
    assert (spec.key, spec.mode) == (key, mode)


@pytest.mark.parametrize("text", ["a piece in 7/4", "something in 13/16 time"])
def test_an_unsupported_meter_still_makes_music_and_says_so(text):
    p = parse(text)
    assert p.intent == "compose" and p.spec.time_signature == "4/4"
    assert any("not a meter I can write" in n for n in p.notes)


@pytest.mark.parametrize("text", ["a piano piece in X minor", "X小调的钢琴曲"])
def test_a_letter_that_is_not_a_key_is_named_in_a_note(text):
    p = parse(text)
    assert p.spec.mode == "minor" and any("X" in n for n in p.notes)


def test_hours_are_a_length_and_are_capped_with_a_note():
    p = parse("a 3 hour symphony")
    assert p.spec.bars == 128 and any("128" in n for n in p.notes)


@pytest.mark.parametrize(("text", "style", "mood", "drums"), [
    ("一首更有中国味的曲子", "chinese", None, None), ("一首抒情的钢琴曲", None, "tender", None),
    ("jazz waltz in Bb major with vibraphone, upright bass and brushes", "jazz", None, True),
])
def test_more_everyday_words(text, style, mood, drums):
    spec = parse(text).spec
    assert style is None or spec.style == style
    assert mood is None or spec.mood == mood
    assert drums is None or spec.drums is drums


@pytest.mark.parametrize(("text", "intent", "mode"), [("a minor song about love", "compose", "minor"),
                                                      ("what is a time signature? also can you write me a short jazz tune",
                                                       "compose", None),
                                                      ("what is a dominant seventh chord?", "chat", None)])
def test_a_minor_song_and_a_question_wrapped_around_a_request(text, intent, mode):
    p = parse(text)
    assert p.intent == intent and (mode is None or p.spec.mode == mode)
