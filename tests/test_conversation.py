"""Multi-turn conversations through the real parser, checked on the MIDI files each turn writes.

Each follow-up must change what was asked and keep everything else: the same
notes at a new tempo, every pitch shifted by the interval, the same notes on a
new program, a drum track added or removed with the other tracks untouched,
the exact MIDI bytes of a version after going back to it. Questions and bad
input make no version.
"""

from __future__ import annotations

from pathlib import Path

import pretty_midi
import pytest

from assistant.chat import ChatEngine
from assistant.store import SessionStore
from generators.baseline import BaselineGenerator
from music.theory import scale_pcs

FIRST = "a calm piano piece in C major at 80 bpm with a bass line, 8 bars"


@pytest.fixture
def chat(tmp_path) -> ChatEngine:
    # audio and sheet music are not what these tests check (test_chat and test_app cover them)
    return ChatEngine(SessionStore(tmp_path / "db.sqlite"), tmp_path / "files", generator=BaselineGenerator(),
                      audio=False, sheets=False)


def midi(result) -> pretty_midi.PrettyMIDI:
    return pretty_midi.PrettyMIDI(result.files["midi"])


def tempo(pm: pretty_midi.PrettyMIDI) -> float:
    return float(pm.get_tempo_changes()[1][0])


def notes_in_beats(pm: pretty_midi.PrettyMIDI) -> dict[str, list[tuple[int, float, float]]]:
    """Per track (name, program, drum): notes as (pitch, start, end) in beats, on a 1/48-beat grid.

    MIDI stores ticks (pretty_midi writes 220 per beat), so a note's time in beats can
    move by a tick's rounding when the tempo changes; the grid absorbs that.
    """
    spb = 60.0 / tempo(pm)
    return {f"{i.name}|{i.program}|{i.is_drum}": [(n.pitch, round(n.start / spb * 48) / 48,
                                                    round(n.end / spb * 48) / 48) for n in i.notes]
            for i in pm.instruments}


def timeline(pm: pretty_midi.PrettyMIDI, inst: pretty_midi.Instrument) -> list[tuple[float, float, int]]:
    return [(round(n.start, 4), round(n.end, 4), n.velocity) for n in inst.notes]


def versions(chat: ChatEngine, sid: str) -> list[int]:
    return [n for n, *_ in chat.store.list_versions(sid)]


def start(chat: ChatEngine, sid: str = "s"):
    r = chat.turn(sid, FIRST, seed=5)
    assert r.intent == "compose" and r.version == 1, r.reply
    return r


def test_tempo_change_keeps_every_note_in_beats(chat):
    first = start(chat)
    second = chat.turn("s", "make it 120 bpm")
    assert second.version == 2 and second.spec["tempo_bpm"] == 120.0
    a, b = midi(first), midi(second)
    assert abs(tempo(a) - 80.0) < 0.01 and abs(tempo(b) - 120.0) < 0.01
    assert notes_in_beats(a) == notes_in_beats(b)
    assert abs(a.get_end_time() / b.get_end_time() - 120.0 / 80.0) < 0.02  # seconds scale by the tempo ratio
    third = chat.turn("s", "a bit faster")  # relative
    assert third.version == 3 and tempo(midi(third)) > 120.0
    assert notes_in_beats(midi(third)) == notes_in_beats(b)
    assert "120" in third.reply  # says what changed


def test_transposition_shifts_every_pitch_by_the_interval(chat):
    first = start(chat)
    second = chat.turn("s", "transpose up 3 semitones")
    assert second.version == 2 and second.spec["key"] == "Eb"
    a, b = midi(first), midi(second)
    assert [i.program for i in a.instruments] == [i.program for i in b.instruments]
    for ia, ib in zip(a.instruments, b.instruments, strict=True):
        assert ia.notes and [n.pitch + 3 for n in ia.notes] == [n.pitch for n in ib.notes]
        assert timeline(a, ia) == timeline(b, ib)
    down = chat.turn("s", "transpose down a whole step")
    for ia, ic in zip(b.instruments, midi(down).instruments, strict=True):
        assert [n.pitch - 2 for n in ia.notes] == [n.pitch for n in ic.notes]


def test_major_to_minor_remaps_degrees_and_keeps_the_contour(chat):
    first = start(chat)
    second = chat.turn("s", "change it to minor")
    assert second.version == 2 and second.spec["mode"] == "minor" and second.spec["key"] == "C"
    mel_a = [n.pitch for n in midi(first).instruments[0].notes]
    mel_b = [n.pitch for n in midi(second).instruments[0].notes]
    assert len(mel_a) == len(mel_b)
    sign = [(y > x) - (y < x) for x, y in zip(mel_a, mel_a[1:], strict=False)]
    assert sign == [(y > x) - (y < x) for x, y in zip(mel_b, mel_b[1:], strict=False)]
    minor = set(scale_pcs(0, "minor"))
    assert all(p % 12 in minor for p in mel_b)
    assert any(p % 12 == 3 for p in mel_b) or not any(p % 12 == 4 for p in mel_a)  # E became Eb
    assert all(abs(a - b) <= 1 for a, b in zip(mel_a, mel_b, strict=True))


def test_instrument_swap_keeps_the_notes(chat):
    first = start(chat)
    second = chat.turn("s", "switch the melody to violin")
    assert second.version == 2
    a, b = midi(first), midi(second)
    assert a.instruments[0].program == 0 and b.instruments[0].program == 40
    for ia, ib in zip(a.instruments, b.instruments, strict=True):
        assert [(n.pitch, n.start, n.end) for n in ia.notes] == [(n.pitch, n.start, n.end) for n in ib.notes]
    assert [i.program for i in a.instruments[1:]] == [i.program for i in b.instruments[1:]]


def test_adding_and_removing_drums_leaves_the_other_parts_alone(chat):
    first = start(chat)
    assert not any(i.is_drum for i in midi(first).instruments)
    added = chat.turn("s", "add drums")
    assert added.version == 2 and added.spec["drums"] is True
    with_drums = midi(added)
    assert any(i.is_drum and i.notes for i in with_drums.instruments)
    pitched = [i for i in with_drums.instruments if not i.is_drum]
    assert [timeline(with_drums, i) + [(n.pitch,) for n in i.notes] for i in pitched] == \
           [timeline(midi(first), i) + [(n.pitch,) for n in i.notes] for i in midi(first).instruments]
    removed = chat.turn("s", "remove the drums")
    assert removed.version == 3 and removed.spec["drums"] is False
    assert not any(i.is_drum for i in midi(removed).instruments)
    assert notes_in_beats(midi(removed)) == notes_in_beats(midi(first))


def test_revert_gives_back_the_exact_midi_and_keeps_later_versions(chat):
    first = start(chat)
    original = Path(first.files["midi"]).read_bytes()
    chat.turn("s", "make it 140 bpm")
    chat.turn("s", "add drums")
    back = chat.turn("s", "go back to version 1")
    assert back.version == 1 and back.intent == "revert"
    assert Path(back.files["midi"]).read_bytes() == original
    assert versions(chat, "s") == [1, 2, 3]  # nothing a person made is lost
    nxt = chat.turn("s", "transpose up 2 semitones")  # builds on version 1
    assert nxt.version == 4 and chat.store.get("s", 4).parent == 1 and nxt.spec["tempo_bpm"] == 80.0
    undone = chat.turn("s", "undo")
    assert undone.version == 1 and Path(undone.files["midi"]).read_bytes() == original


def test_a_question_answers_without_making_a_version(chat):
    start(chat)
    chat.turn("s", "make it 100 bpm")
    before = versions(chat, "s")
    r = chat.turn("s", "what key is it in?")
    assert r.intent == "question" and r.version == 2 and not r.new_version
    assert "C major" in r.reply
    r = chat.turn("s", "how fast is it?")
    assert "100" in r.reply and not r.new_version
    assert versions(chat, "s") == before and chat.store.current_number("s") == 2


@pytest.mark.parametrize("bad", [
    "",
    "   ",
    "asdkjh qwe zzkx",
    "🎵🎵🎵",
    "go back to version 99",
    "transpose up 500 octaves",
])
def test_bad_input_mid_conversation_leaves_versions_unchanged(chat, bad):
    start(chat)
    second = chat.turn("s", "make it 100 bpm")
    snapshot = [(n, chat.store.get("s", n).files["midi"], Path(chat.store.get("s", n).files["midi"]).read_bytes())
                for n in versions(chat, "s")]
    r = chat.turn("s", bad)
    assert r.reply.strip() and "Traceback" not in r.reply
    assert not r.new_version and r.version == second.version
    assert chat.store.current_number("s") == 2
    assert [(n, chat.store.get("s", n).files["midi"], Path(chat.store.get("s", n).files["midi"]).read_bytes())
            for n in versions(chat, "s")] == snapshot


def test_undo_at_the_first_version_says_so(chat):
    start(chat)
    r = chat.turn("s", "undo")
    assert r.version == 1 and not r.new_version and "first version" in r.reply
    assert versions(chat, "s") == [1]


def test_longer_continues_and_shorter_trims_at_a_phrase_end(chat):
    first = start(chat)
    longer = chat.turn("s", "make it 4 bars longer")
    assert longer.version == 2 and longer.spec["bars"] == 12
    a, b = notes_in_beats(midi(first)), notes_in_beats(midi(longer))
    for key, old in a.items():
        assert b[key][:len(old)] == old  # the first 8 bars are exactly as they were
        assert max(s for _, s, _ in b[key]) >= 32  # and the part goes on into the new bars
    shorter = chat.turn("s", "make it shorter")
    assert shorter.version == 3 and shorter.spec["bars"] < 12 and shorter.spec["bars"] % 4 == 0
    end = shorter.spec["bars"] * 4
    assert all(e <= end + 1e-6 for notes in notes_in_beats(midi(shorter)).values() for _, _, e in notes)


def test_try_again_and_variation_keep_the_spec_but_not_the_melody(chat):
    first = start(chat)
    mel = [(n.pitch, n.start) for n in midi(first).instruments[0].notes]
    again = chat.turn("s", "try again")
    assert again.intent == "regenerate" and again.version == 2 and again.spec["seed"] != first.spec["seed"]
    assert {k: v for k, v in again.spec.items() if k != "seed"} == {k: v for k, v in first.spec.items() if k != "seed"}
    chat.turn("s", "go back to version 1")
    var = chat.turn("s", "give me a variation")
    assert var.intent == "variation" and var.version == 3
    mel_v = [(n.pitch, n.start) for n in midi(var).instruments[0].notes]
    assert mel_v != mel  # not identical
    same = sum(a == b for a, b in zip(mel, mel_v, strict=False))
    assert same >= 0.5 * len(mel)  # but similar
    assert "VAE" in var.reply  # says how it was made


def test_blend_without_latents_says_why_and_changes_nothing(chat):
    start(chat)
    chat.turn("s", "try again")
    r = chat.turn("s", "blend version 1 and 2")
    assert r.intent == "blend" and not r.new_version and "VAE" in r.reply
    assert versions(chat, "s") == [1, 2]


def test_chinese_conversation_gets_chinese_replies(chat):
    first = chat.turn("z", "来一首欢快的钢琴曲，每分钟90拍", seed=2)
    assert first.version == 1 and "第1版" in first.reply
    faster = chat.turn("z", "快一点")
    assert faster.version == 2 and faster.spec["tempo_bpm"] > 90 and "速度" in faster.reply
    assert notes_in_beats(midi(first)) == notes_in_beats(midi(faster))
    r = chat.turn("z", "它是什么调？")
    assert not r.new_version and "调" in r.reply
    r = chat.turn("z", "回到第9版")
    assert not r.new_version and "没有第9版" in r.reply


def test_sessions_do_not_see_each_other(chat):
    start(chat, "a")
    chat.turn("b", "a fast rock tune at 150 bpm", seed=1)
    r = chat.turn("a", "add drums")
    assert r.version == 2 and r.spec["tempo_bpm"] == 80.0
    assert versions(chat, "b") == [1] and chat.store.get("b", 1).spec["tempo_bpm"] == 150.0


def test_a_song_stays_a_song_through_edits_and_variations(engine):
    """Re-composing edits and variations re-set the same words: one lyric event per sung note."""
    import pretty_midi

    lyrics = ("Set these lyrics to a gentle melody:\nTwinkle twinkle little star\nHow I wonder what you are\n"
              "Up above the world so high\nLike a diamond in the sky")
    first = engine.turn("song", lyrics)
    assert first.intent == "lyrics" and "Twin-kle" in first.reply
    for follow_up in ("in 3/4", "give me a variation"):
        r = engine.turn("song", follow_up)
        assert r.version is not None and r.spec["lyrics"], follow_up
        pm = pretty_midi.PrettyMIDI(r.files["midi"], charset="utf-8")
        melody = next(i for i in pm.instruments if i.program in (52, 53, 54))
        assert len(pm.lyrics) == len(melody.notes) == 28, follow_up
    assert r.spec["time_signature"] == "3/4"


def test_drums_only_writes_just_a_kit(engine):
    import pretty_midi

    r = engine.turn("kit", "drums only, 120 bpm")
    pm = pretty_midi.PrettyMIDI(r.files["midi"])
    assert [i.is_drum for i in pm.instruments] == [True] and pm.instruments[0].notes
    assert r.spec["drums"] and all(i["is_drum"] for i in r.spec["instruments"])


def test_longer_keeps_every_part_even_two_of_one_role(engine):
    import pretty_midi

    engine.turn("two", "a calm pop piece with piano, bass and strings, 8 bars")
    engine.turn("two", "add a warm pad")
    before = pretty_midi.PrettyMIDI(engine.store.current("two").files["midi"])
    r = engine.turn("two", "make it longer")
    after = pretty_midi.PrettyMIDI(r.files["midi"])
    assert sorted(i.program for i in after.instruments) == sorted(i.program for i in before.instruments)
    end = before.get_end_time() - 0.5
    for old, new in zip(before.instruments, after.instruments, strict=True):
        kept = [(n.pitch, round(n.start, 3)) for n in new.notes if n.start < end]
        assert kept == [(n.pitch, round(n.start, 3)) for n in old.notes if n.start < end]


def test_change_the_key_to_moves_every_pitch(engine):
    import pretty_midi

    first = engine.turn("key", "a piano piece in A minor, 4 bars")
    r = engine.turn("key", "change the key to E")
    assert r.spec["key"] == "E" and r.version == first.version + 1
    a, b = (pretty_midi.PrettyMIDI(x.files["midi"]) for x in (first, r))
    shift = {n2.pitch - n1.pitch for i1, i2 in zip(a.instruments, b.instruments, strict=True)
             for n1, n2 in zip(i1.notes, i2.notes, strict=True)}
    assert shift in ({7}, {-5})


def _cc7(pm: pretty_midi.PrettyMIDI) -> dict[str, int]:
    return {f"{i.name}|{i.program}|{i.is_drum}": next(c.value for c in i.control_changes if c.number == 7)
            for i in pm.instruments}


@pytest.mark.parametrize(("message", "part", "louder"),
                         [("make the strings quieter", "String Ensemble 1", False),
                          ("the drums are too loud", "Drum Kit", False),
                          ("钢琴大声一点", "Acoustic Grand Piano", True)])
def test_a_volume_request_moves_only_that_part(chat, message, part, louder):
    chat.turn("s", "a calm piece with strings on the melody, piano chords and drums, 8 bars", seed=3)
    before = chat.turn("s", "what key is it in?")
    pm0 = pretty_midi.PrettyMIDI(before.files["midi"])
    r = chat.turn("s", message)
    assert r.new_version and r.intent == "edit", r.reply
    pm1 = midi(r)
    assert notes_in_beats(pm1) == notes_in_beats(pm0)  # the same notes
    v0, v1 = _cc7(pm0), _cc7(pm1)
    moved = [k for k in v0 if v0[k] != v1[k]]
    target = next(k for k in v0 if k.startswith(part))
    if louder and v0[target] == 127:  # already at full volume: everything else comes down
        assert all(v1[k] < v0[k] for k in v0 if k != target)
    else:
        assert moved == [target] and (v1[target] > v0[target]) is louder
    assert "dB" in r.reply or "分贝" in r.reply


def test_a_volume_request_for_a_missing_part_makes_no_version(chat):
    start(chat)
    r = chat.turn("s", "make the flute louder")
    assert not r.new_version and "flute" in r.reply and versions(chat, "s") == [1]


def test_a_length_in_minutes_lengthens_the_piece_to_that_duration(chat):
    first = start(chat)
    r = chat.turn("s", "make it 1 minute long")
    assert r.new_version, r.reply
    pm0, pm1 = midi(first), midi(r)
    assert abs(pm1.get_end_time() - 60.0) <= 60.0 / tempo(pm1) * 4  # within a bar of a minute
    assert pm1.get_end_time() > pm0.get_end_time()


def test_blended_in_the_past_tense_is_a_blend(chat):
    start(chat)
    chat.turn("s", "try again")
    r = chat.turn("s", "give me version 1 and version 2 blended")
    assert r.intent == "blend" and "blend" in r.reply.lower()


def test_new_words_mid_conversation_keep_the_song_and_its_band(engine):
    """'Use these words instead' re-sets the words; style, tempo, key and instruments stay."""
    import pretty_midi

    first = engine.turn("words", "a happy folk song at 120 bpm in G with these lyrics:\nSun is rising over the hill\n"
                                 "Birds are singing loud and shrill\nCome on out and dance with me")
    assert first.intent == "lyrics"
    programs = [i["program"] for i in first.spec["instruments"]]
    assert programs.count(73) <= 1 and 53 in programs  # the flute accompanies the voice once, not as chords
    r = engine.turn("words", "use these words instead:\nMoon is shining on the lake\nEvery star is wide awake")
    assert r.intent == "lyrics" and r.version == 2, r.reply
    for k in ("style", "tempo_bpm", "key", "mode"):
        assert r.spec[k] == first.spec[k], k
    assert [i["program"] for i in r.spec["instruments"]] == programs
    pm = pretty_midi.PrettyMIDI(r.files["midi"], charset="utf-8")
    assert "".join(lyric.text for lyric in pm.lyrics).replace("-", "").replace(" ", "").lower().startswith("moon")


def _vel_split(pm: pretty_midi.PrettyMIDI, boundary_s: float) -> tuple[list, list]:
    """Pitched notes (track, pitch, start, velocity) before the ending and in it."""
    before, after = [], []
    for i in pm.instruments:
        for n in i.notes:
            if not i.is_drum:
                (before if n.start < boundary_s - 1e-3 else after).append((i.name, n.pitch, round(n.start, 3),
                                                                           n.velocity))
    return sorted(before), sorted(after)


@pytest.mark.parametrize(("message", "how"), [("make the ending stronger", "strong"),
                                              ("can you end it with a bang?", "strong"),
                                              ("结尾更有力一点", "strong"),
                                              ("fade out at the end", "soft"), ("结尾渐弱", "soft")])
def test_an_ending_request_reshapes_only_the_last_bars(chat, message, how):
    chat.turn("s", "a pop song in G major with a flute melody, piano chords, bass and drums, 16 bars", seed=2)
    first = chat.turn("s", "what key is it in?")
    r = chat.turn("s", message)
    assert r.new_version and r.intent == "edit", r.reply
    assert ("ending" in r.reply) or ("结尾" in r.reply)
    pm0, pm1 = midi(first), midi(r)
    spb, bar = 60.0 / tempo(pm0), 4 * 60.0 / tempo(pm0)
    ending = 14 * bar  # the form's 2-bar ending of a 16-bar piece
    b0, a0 = _vel_split(pm0, ending)
    b1, a1 = _vel_split(pm1, ending)
    assert b1 == b0  # everything before the ending is untouched
    mean = lambda xs: sum(v for *_, v in xs) / len(xs)  # noqa: E731
    drums0 = next(i for i in pm0.instruments if i.is_drum)
    drums1 = next(i for i in pm1.instruments if i.is_drum)
    in_last0 = [n for n in drums0.notes if n.start >= 15 * bar - 1e-3]
    in_last1 = [n for n in drums1.notes if n.start >= 15 * bar - 1e-3]
    if how == "strong":
        assert mean(a1) > mean(a0) + 5 and len(a1) > len(a0)  # louder, and the final chord doubled
        toms = {41, 45, 47, 50}
        assert any(n.pitch in toms and 14 * bar <= n.start < 15 * bar for n in drums1.notes)  # a fill into the end
        assert {36, 49} <= {n.pitch for n in in_last1}  # kick and crash on the final downbeat
        assert max(n.velocity for n in in_last1) > max(n.velocity for n in in_last0)
    else:
        assert mean(a1) < mean(a0) - 10
        finals = [v for (_, _, s, v) in a1 if s >= 15 * bar - 1e-3]
        assert finals and max(finals) < 64  # the final chord is quiet
        assert {n.pitch for n in in_last1} <= {51} and in_last1  # one soft ride, no kick or snare
    assert abs(pm1.get_end_time() - pm0.get_end_time()) < spb  # same length


def test_a_first_request_can_ask_for_a_fading_ending(chat):
    r = chat.turn("s", "a calm piano piece that fades out at the end, 8 bars", seed=1)
    assert r.new_version and r.intent == "compose"
    pm = midi(r)
    bar = 4 * 60.0 / tempo(pm)
    notes = [n for i in pm.instruments for n in i.notes]
    early = [n.velocity for n in notes if n.start < 6 * bar - 1e-3]
    last = [n.velocity for n in notes if n.start >= 7 * bar - 1e-3]
    assert last and max(last) < sum(early) / len(early)


def test_change_x_to_y_puts_y_where_x_was_in_the_midi(chat):
    first = chat.turn("s", "an upbeat folk tune on flute and guitar with drums, 16 bars", seed=3)
    r = chat.turn("s", "change the flute to violin")
    assert r.new_version and "Violin" in r.reply
    programs0 = {i.program for i in midi(first).instruments if not i.is_drum}
    programs1 = {i.program for i in midi(r).instruments if not i.is_drum}
    assert 73 in programs0 and 73 not in programs1 and 40 in programs1
    assert notes_in_beats(midi(r))[next(k for k in notes_in_beats(midi(r)) if "|40|" in k)] == \
        notes_in_beats(midi(first))[next(k for k in notes_in_beats(midi(first)) if "|73|" in k)]  # same notes


def test_a_chinese_reply_names_style_mood_and_instruments_in_chinese(chat):
    r = chat.turn("s", "一首欢快的流行歌，钢琴、贝斯和鼓", seed=1)
    assert "风格：流行" in r.reply and "情绪：欢快" in r.reply
    assert "钢琴（旋律）" in r.reply and "鼓组（鼓）" in r.reply
    assert "Piano" not in r.reply and "pop" not in r.reply
    assert "风格是流行" in chat.turn("s", "这是什么风格？").reply


def test_a_neutral_mood_is_not_announced(chat):
    r = chat.turn("s", "a rock song in E minor", seed=1)
    assert "neutral" not in r.reply and r.reply.startswith("Version 1: rock piece in E minor")


@pytest.mark.parametrize(("message", "words"), [("perfect, thanks!", "welcome"), ("谢谢", "不客气"),
                                                ("hello", "Hello"), ("你好", "你好"),
                                                ("repeat the chorus", "can't rearrange sections"),
                                                ("加个前奏", "还不能重新安排段落")])
def test_small_talk_gets_a_friendly_answer_and_no_version(chat, message, words):
    start(chat)
    r = chat.turn("s", message)
    assert not r.new_version and r.intent == "chat" and words in r.reply
    assert versions(chat, "s") == [1]


@pytest.mark.parametrize("message", ["I don't like it", "不好听"])
def test_not_liking_it_gets_a_different_take_and_keeps_the_old_one(chat, message):
    first = start(chat)
    r = chat.turn("s", message)
    assert r.new_version and r.intent == "regenerate" and versions(chat, "s") == [1, 2]
    assert notes_in_beats(midi(r)) != notes_in_beats(midi(first))


def test_a_greeting_before_any_piece_explains_what_to_do(chat):
    r = chat.turn("s", "hi there")
    assert r.intent == "chat" and r.version is None and "describe the music" in r.reply


def test_removing_the_instrument_that_sings_moves_the_melody_instead_of_losing_it(chat):
    first = chat.turn("s", "一首流行歌，有钢琴、吉他、贝斯和鼓", seed=1)
    r = chat.turn("s", "去掉钢琴")
    assert r.new_version, r.reply
    pm0, pm1 = midi(first), midi(r)
    tune = lambda i: [(n.pitch, round(n.start, 2)) for n in i.notes]  # noqa: E731
    piano = next(i for i in pm0.instruments if i.program == 0 and not i.is_drum)
    assert not any(i.program == 0 and not i.is_drum for i in pm1.instruments)  # the piano is gone
    assert any(tune(i) == tune(piano) and i.program == 25 for i in pm1.instruments)  # its tune, on the guitar
    assert "钢弦吉他" in r.reply


def test_a_drum_kit_cannot_become_a_cello(chat):
    start(chat)
    r = chat.turn("s", "add drums")
    r = chat.turn("s", "replace the drums with a cello")
    assert not r.new_version and "drum kit can't become" in r.reply


def test_a_variation_of_a_lengthened_song_keeps_its_length_and_its_words(chat):
    words = "Set these lyrics to music:\nTwinkle twinkle little light\nShining softly through the night\n" \
            "Up above the world so high\nLike a lantern in the sky"
    first = chat.turn("s", words, seed=8)
    longer = chat.turn("s", "make it longer")
    var = chat.turn("s", "give me a variation")
    assert var.new_version and var.spec["bars"] == longer.spec["bars"] > first.spec["bars"]
    assert "new tune for the same words" in var.reply
    pm0, pm1 = midi(longer), midi(var)
    assert abs(pm1.get_end_time() - pm0.get_end_time()) < 60.0 / tempo(pm0) * 4
    assert [ly.text for ly in pm1.lyrics] and len(pm1.lyrics) == len(pm0.lyrics)


def test_redo_steps_forward_again_and_undo_after_a_jump_returns(chat):
    start(chat)
    chat.turn("s", "faster")
    chat.turn("s", "add drums")
    assert [chat.turn("s", m).version for m in ("undo", "undo", "redo", "redo")] == [2, 1, 2, 3]
    r = chat.turn("s", "redo")
    assert r.version == 3 and "nothing to redo" in r.reply
    assert chat.turn("s", "go back to version 1").version == 1
    assert chat.turn("s", "undo").version == 3  # back to where the jump came from
    assert chat.turn("s", "重做").version == 1 and versions(chat, "s") == [1, 2, 3]  # the jump again


def test_undo_redo_targets_from_the_turn_log():
    from assistant.chat import undo_redo_targets

    log = [("a", "", "compose", 1), ("b", "", "edit", 2), ("c", "", "undo", 1), ("d", "", "question", 1)]
    assert undo_redo_targets(log) == (None, 2)
    assert undo_redo_targets(log + [("e", "", "edit", 3)]) == (None, None)
    assert undo_redo_targets(log + [("f", "", "revert", 2)]) == (1, None)


@pytest.mark.parametrize(("message", "words"), [("what is a dominant seventh chord?", "fifth note of the key"),
                                                ("什么是大调和小调的区别？", "大调和小调是最常见"),
                                                ("what does bpm mean?", "beats per minute"),
                                                ("6/8拍是什么意思", "拍号")])
def test_a_music_word_question_gets_a_plain_answer_before_or_after_a_piece(chat, message, words):
    r = chat.turn("s", message)
    assert r.version is None and not r.new_version and words in r.reply
    start(chat)
    r = chat.turn("s", message)
    assert not r.new_version and words in r.reply and versions(chat, "s") == [1]


@pytest.mark.parametrize(("message", "words"), [("为什么这首是C大调？", "C大调"), ("why is it so slow?", "80 bpm")])
def test_a_why_question_is_answered_not_obeyed(chat, message, words):
    start(chat)
    r = chat.turn("s", message)
    assert not r.new_version and words in r.reply


def test_more_reverb_raises_every_parts_reverb_send_and_keeps_the_notes(chat):
    first = chat.turn("s", "a pop song with piano, guitar, bass and drums", seed=2)
    r = chat.turn("s", "more reverb")
    assert r.new_version and "reverb" in r.reply
    cc91 = lambda pm: [next(c.value for c in i.control_changes if c.number == 91) for i in pm.instruments]  # noqa: E731
    assert all(b > a for a, b in zip(cc91(midi(first)), cc91(midi(r)), strict=True))
    assert notes_in_beats(midi(r)) == notes_in_beats(midi(first))


SONG = ("[Verse]\nWalking down the empty road\nCarrying my heavy load\n[Chorus]\nSing it loud and sing it clear\n"
        "I will always hold you near")


def _sung(pm: pretty_midi.PrettyMIDI) -> list[int]:
    return [n.pitch for n in next(i for i in pm.instruments if i.program in (52, 53, 54)).notes]


def test_chorus_higher_as_a_follow_up_lifts_only_the_chorus(chat):
    first = chat.turn("s", SONG, seed=1)
    r = chat.turn("s", "副歌再高一点")
    assert r.new_version and "副歌" in r.reply
    a, b = _sung(midi(first)), _sung(midi(r))
    verse = sum(len(x.split()) for x in ("Walk ing down the emp ty road", "Car ry ing my heav y load"))
    assert a[:verse] == b[:verse]  # the verses are untouched
    assert sum(b[verse:]) > sum(a[verse:])  # the chorus sits higher
    assert r.spec["lyrics"][-1]["section"] == "chorus"


def test_a_lyric_variation_with_the_same_seed_is_still_a_new_tune(chat):
    first = chat.turn("s", "[Verse]\nHello my friend how are you\nI miss you every day", seed=1)
    r = chat.turn("s", "give me a variation", seed=1)
    assert r.new_version and _sung(midi(r)) != _sung(midi(first))


def test_the_melody_an_octave_higher_moves_only_the_melody(chat):
    first = chat.turn("s", "an upbeat folk tune on flute and guitar with drums, 16 bars", seed=3)
    r = chat.turn("s", "put the melody an octave higher")
    assert r.new_version, r.reply
    a, b = midi(first), midi(r)
    flute0, flute1 = (next(i for i in pm.instruments if i.program == 73) for pm in (a, b))
    assert [n.pitch + 12 for n in flute0.notes] == [n.pitch for n in flute1.notes]
    for i0, i1 in zip(a.instruments, b.instruments, strict=True):
        if i0.program != 73:
            assert [n.pitch for n in i0.notes] == [n.pitch for n in i1.notes]


@pytest.mark.parametrize(("message", "louder"), [("贝斯多一点", True), ("少一点鼓", False), ("fewer drums", False)])
def test_more_and_less_of_a_part_move_its_volume(chat, message, louder):
    first = chat.turn("s", "一首抒情的吉他曲，E小调，带鼓和贝斯", seed=1)
    r = chat.turn("s", message)
    assert r.new_version and r.intent == "edit", r.reply
    assert notes_in_beats(midi(r)) == notes_in_beats(midi(first))
    v0, v1 = _cc7(midi(first)), _cc7(midi(r))
    assert any((v1[k] > v0[k]) is louder and v1[k] != v0[k] for k in v0)


def test_adding_drums_in_chinese_names_the_drum_kit(chat):
    chat.turn("s", "来一首欢快的民谣，D大调", seed=1)
    r = chat.turn("s", "加上鼓")
    assert "鼓组" in r.reply and "大钢琴（鼓）" not in r.reply


def test_bare_section_words_and_slashes_are_structure_not_words(chat):
    r = chat.turn("s", "主歌\n月亮挂在窗前\n思念像一条河\n副歌\n你在哪里 我的爱人\n我等你 等到天明", seed=1)
    lines = [ln["line"] for ln in r.spec["lyrics"]]
    assert lines[0] == "月亮挂在窗前" and len(lines) == 4 and [ln["section"] for ln in r.spec["lyrics"]][-1] == "chorus"
    sung = [ly.text.encode("latin-1").decode("utf-8") for ly in midi(r).lyrics]  # pretty_midi reads bytes as latin-1
    assert len(sung) == sum(len(x.replace(" ", "")) for x in lines) and "主" not in "".join(sung)
    r2 = chat.turn("s", "use these words instead: The sun is shining on my face / I found my happy place / "
                        "Sing with me, sing with me")
    assert [ln["line"] for ln in r2.spec["lyrics"]][:2] == ["The sun is shining on my face", "I found my happy place"]


def test_a_longer_song_adds_an_instrumental_and_the_voice_rests(chat):
    first = chat.turn("s", SONG, seed=1)
    r = chat.turn("s", "make it longer")
    assert r.new_version and "instrumental" in r.reply
    pm0, pm1 = midi(first), midi(r)
    assert _sung(pm1) == _sung(pm0) and len(pm1.lyrics) == len(pm0.lyrics)  # every sung note has its word
    end0 = pm0.get_end_time()
    solo = [i for i in pm1.instruments if "(solo)" in i.name or i.name.endswith("(counter)")]
    assert solo and any(n.start >= end0 - 1.5 for n in solo[0].notes)


def test_a_style_change_keeps_the_mix_the_user_set(chat):
    chat.turn("s", "an acoustic guitar folk song in G major, 100 bpm, with drums", seed=1)
    before = chat.turn("s", "less drums")
    r = chat.turn("s", "make it jazzier")
    assert r.new_version and r.spec["style"] == "jazz"
    drums = lambda pm: next(c.value for i in pm.instruments if i.is_drum for c in i.control_changes  # noqa: E731
                            if c.number == 7)
    assert drums(midi(r)) == drums(midi(before)) < 100


@pytest.mark.parametrize("message", ["too quiet", "it's too loud", "声音太小了"])
def test_overall_loudness_is_explained_not_obeyed(chat, message):
    start(chat)
    r = chat.turn("s", message)
    assert not r.new_version and r.intent == "chat" and ("normalised" in r.reply or "标准化" in r.reply)


@pytest.mark.parametrize("message", ["perfect, that's exactly it", "great, I love it", "太好听了", "that's good enough"])
def test_praise_makes_no_new_version(chat, message):
    start(chat)
    r = chat.turn("s", message)
    assert not r.new_version and r.intent == "chat" and versions(chat, "s") == [1]


def test_try_again_with_the_same_seed_is_still_a_new_take(chat):
    first = chat.turn("s", FIRST, seed=5)
    r = chat.turn("s", "I don't like it", seed=5)
    assert r.new_version and notes_in_beats(midi(r)) != notes_in_beats(midi(first))
    r2 = chat.turn("s", "try again", seed=r.spec["seed"])
    assert r2.new_version and notes_in_beats(midi(r2)) != notes_in_beats(midi(r))


def test_a_fade_out_keeps_every_fill_before_the_ending(chat):
    first = chat.turn("s", "an upbeat pop song with drums", seed=3)
    r = chat.turn("s", "fade out at the end")
    pm0, pm1 = midi(first), midi(r)
    bar = 4 * 60.0 / tempo(pm0)
    early = lambda pm: sorted((n.pitch, round(n.start, 3)) for i in pm.instruments if i.is_drum  # noqa: E731
                              for n in i.notes if n.start < 14 * bar - 0.05)
    assert early(pm1) == early(pm0)


def test_more_cheerful_in_chinese_is_a_mood_not_a_tempo(chat):
    first = chat.turn("s", "一首轻快的流行歌，有鼓", seed=1)
    r = chat.turn("s", "能不能更欢快一点")
    assert r.spec["tempo_bpm"] == first.spec["tempo_bpm"]


def test_an_added_countermelody_and_a_duet_partner_play_real_lines(chat):
    chat.turn("s", "a calm piece with piano", seed=2)
    r = chat.turn("s", "add a flute countermelody")
    flute = next(i for i in midi(r).instruments if i.program == 73)
    assert min(n.pitch for n in flute.notes) >= 60 and len({n.pitch for n in flute.notes}) >= 4
    duet = chat.turn("t", "a piece for two violins", seed=2)
    violins = [i for i in midi(duet).instruments if i.program == 40]
    assert len(violins) == 2 and all(len({n.pitch for n in v.notes}) >= 4 for v in violins)
    bar = 4 * 60.0 / tempo(midi(duet))
    assert min(n.start for n in violins[1].notes) < 2 * bar  # the partner plays from the start


def test_show_all_versions_lists_them_and_marks_the_current_one(chat):
    start(chat)
    chat.turn("s", "faster")
    chat.turn("s", "go back to version 1")
    r = chat.turn("s", "show me all versions")
    assert not r.new_version and "→ Version 1" in r.reply and "  Version 2" in r.reply


def test_shorter_says_which_part_only_played_in_the_cut_bars(chat):
    chat.turn("s", "an upbeat folk tune on flute and guitar with drums, 16 bars", seed=2)
    chat.turn("s", "add some bells")
    r = chat.turn("s", "make it 8 bars")
    names = {i.name for i in midi(r).instruments}
    listed = r.reply.split("Instruments:")[1].split("\n")[0]
    assert all(n.split(" (")[0] in listed for n in names)
    if "Glockenspiel" not in names:
        assert "only played in the bars that were cut" in r.reply


def test_a_question_wrapped_around_a_first_request_still_composes(chat):
    r = chat.turn("s", "tell me what instruments you support and then write a jazz tune for sax", seed=1)
    assert r.new_version and r.spec["style"] == "jazz" and any(i["program"] == 65 for i in r.spec["instruments"])
    assert chat.turn("t", "what key is it in?").version is None
