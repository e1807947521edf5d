"""Sung rhythm and melody: what a songwriter sees and hears."""

import io

import mido
import pytest

from generators.baseline import BaselineGenerator
from lyrics.melody_lib import tone_ok, voice_range
from lyrics.rhythm_lib import (
    is_strong,
    layout_lines,
    line_rhythm,
    phrase_end_ok,
    stressed_on_strong_share,
)
from lyrics.setting import display_line, lyric_lines, set_lyrics
from lyrics.syllables import syllabify_line
from music.arrange import arrange
from music.midi_io import score_to_pretty_midi
from music.score import beats_per_bar
from music.spec import MusicSpec
from music.theory import note_name_to_pc

VERSE = """Amazing grace, how sweet the sound
That saved a wretch like me
I once was lost, but now am found
Was blind, but now I see"""
POEM = "床前明月光，疑是地上霜\n举头望明月，低头思故乡"
GEN = BaselineGenerator()


@pytest.mark.parametrize("meter", [(4, 4), (3, 4), (6, 8), (2, 4)])
def test_stressed_syllables_on_strong_beats_and_lines_fill_bars(meter):
    lines = [syllabify_line(x) for x in VERSE.split("\n")]
    layout = layout_lines(lines, meter, 100)
    hits, total = stressed_on_strong_share(layout.events, meter)
    assert total > 10 and hits / total >= 0.8
    bar = beats_per_bar(meter)
    for i, (first, n) in enumerate(layout.line_bars):
        evs = [e for e in layout.events if e.line == i]
        accented = [e for e in evs if e.accented]
        assert accented and all(is_strong(round(e.start % bar, 6), meter) for e in accented)
        # whole bars: the line's first accent opens its first bar, everything ends by its last bar
        assert abs(accented[0].start - first * bar) < 1e-6
        assert max(e.end for e in evs) <= (first + n) * bar + 1e-6
    assert layout.events[0].start < layout.line_bars[0][0] * bar  # "A-" is a pickup


def test_phrase_ends_on_a_long_note_or_a_rest():
    for line in VERSE.split("\n") + ["Twinkle twinkle little star", "How I wonder what you are", "hello"]:
        r = line_rhythm(syllabify_line(line), (4, 4), 100)
        end_of_line = r.bars * 4
        rest = end_of_line - (r.onsets[-1] + r.durations[-1]) >= 0.5
        assert phrase_end_ok(list(r.durations), rest), line


def test_repeated_line_gets_the_same_rhythm_and_tune():
    text = "Row row row your boat\nGently down the stream\nRow row row your boat\nGently down the stream"
    s = set_lyrics(text, MusicSpec(), GEN, 5)
    by_line = {}
    for n, e in zip(s.notes, s.events, strict=True):
        by_line.setdefault(e.line, []).append(n)
    first, third = by_line[0], by_line[2]
    assert [n.pitch for n in first] == [n.pitch for n in third]
    assert [round(n.start - first[0].start, 4) for n in first] == [round(n.start - third[0].start, 4) for n in third]


@pytest.mark.parametrize("text", [VERSE, POEM, "我爱你 baby\n今晚不回家\nOh my darling 2024"])
def test_every_syllable_gets_exactly_one_note(text):
    s = set_lyrics(text, MusicSpec(time_signature="3/4"), GEN, 1)
    syllables = sum(len(ln.syllables) for ln in s.lines)
    assert len(s.notes) == syllables and s.melismas == 0
    assert all(n.lyric for n in s.notes)
    assert len({n.start for n in s.notes}) == len(s.notes)
    assert all(a.end <= b.start + 1e-6 for a, b in zip(s.notes, s.notes[1:], strict=False))
    assert max(n.end for n in s.notes) <= s.bars * 3 + 1e-6


def test_melody_is_singable_and_ends_on_the_tonic():
    spec = MusicSpec(key="D", mode="minor")
    s = set_lyrics(VERSE, spec, GEN, 7)
    lo, hi = voice_range(spec.register)
    assert all(lo - 2 <= n.pitch <= hi + 2 for n in s.notes)
    assert s.notes[-1].pitch % 12 == note_name_to_pc("D")
    assert max(abs(a.pitch - b.pitch) for a, b in zip(s.notes, s.notes[1:], strict=False)) <= 12


def test_chinese_tones_are_respected():
    s = set_lyrics(POEM, MusicSpec(key="G"), GEN, 3)
    ok, total = s.tone_agreement
    assert total >= 10 and ok / total >= 0.9
    falling_leaps = [(a.pitch, b.pitch) for a, b, e in zip(s.notes, s.notes[1:], s.events[1:], strict=False)
                     if e.syllable.tone == 4 and b.pitch - a.pitch > 4 and e.line == s.events[s.notes.index(a)].line]
    assert not falling_leaps
    assert tone_ok(60, 67, 4) is False and tone_ok(60, 58, 4) is True


def test_chorus_can_be_raised():
    text = "[Verse]\nwalking down the road today\n[Chorus]\nsing it loud and sing it high"
    low = set_lyrics(text, MusicSpec(), GEN, 2)
    high = set_lyrics(text, MusicSpec(), GEN, 2, section_shift={"chorus": 5})
    chorus = [i for i, e in enumerate(low.events) if e.line == 1]
    mean = lambda s: sum(s.notes[i].pitch for i in chorus) / len(chorus)  # noqa: E731
    assert mean(high) > mean(low)
    assert [s.name for s in low.sections] == ["verse", "chorus"]


def test_lyrics_reach_the_midi_as_utf8_lyric_events():
    s = set_lyrics(POEM + "\nhello world", MusicSpec(), GEN, 1)
    spec = MusicSpec(bars=s.bars, lyrics=s.lines)
    score = arrange(spec, s.chords, s.notes, 1)
    buf = io.BytesIO()
    score_to_pretty_midi(score).write(buf)
    buf.seek(0)
    mid = mido.MidiFile(file=buf, charset="utf-8")
    words = [m.text for t in mid.tracks for m in t if m.type == "lyrics"]
    assert len(words) == len(s.notes)
    assert words[0] == "床"
    # karaoke convention: syllables of a word join, a space closes the word
    assert "".join(words).endswith("hello world ")


def test_spec_lyrics_and_reply_lines():
    lines = lyric_lines("Twinkle, twinkle, little star\n床前明月光")
    assert lines[0].syllables == ("Twin", "kle", "twin", "kle", "lit", "tle", "star")
    assert lines[1].syllables == tuple("床前明月光")
    assert display_line(lines[0]) == "Twin-kle twin-kle lit-tle star"


@pytest.mark.parametrize("text", [
    "la " * 25_000,
    "love\n" * 20_000,
    "🎵🎶💖\n🌙✨",
    "```python\nimport os\nfor i in range(10):\n    print(i ** 2)\n```",
    "Hello",
    "",
    "\x00\x01\ufeff",
])
def test_bad_input_never_raises(text):
    s = set_lyrics(text, MusicSpec(), GEN, 0)
    assert 1 <= s.bars <= 128
    assert len(s.notes) == sum(len(ln.syllables) for ln in s.lines)
    if len(text) >= 50_000:
        assert any(f"{len(text):,}" in n for n in s.notes_for_user)
    if not s.notes:
        assert s.notes_for_user


def test_repeated_lines_are_the_chorus_without_markers():
    from lyrics.sheet_lib import parse_sheet

    sheet = parse_sheet("walking home\nla la la\nrain again\nla la la")
    assert [ln.section for ln in sheet.lines] == ["verse", "chorus", "verse", "chorus"]
    marked = parse_sheet("[Verse]\nwalking home\n[Chorus]\nla la la\n[Verse]\nrain again\n[Chorus]")
    assert [ln.text for ln in marked.lines][-1] == "la la la"  # a bare [Chorus] sings it again


def test_lyrics_round_trip_through_the_spec_for_re_setting():
    from lyrics.setting import lyrics_text_of

    s = set_lyrics("Twinkle twinkle little star\n床前明月光", MusicSpec(), GEN, 0)
    again = set_lyrics(lyrics_text_of(s.lines), MusicSpec(time_signature="3/4"), GEN, 0)
    assert [ln.syllables for ln in again.lines] == [ln.syllables for ln in s.lines]
    assert lyrics_text_of(None) is None


def test_karaoke_text_joins_syllables_of_a_word():
    from lyrics.syllables import karaoke_text

    assert "".join(karaoke_text(x) for x in ["Twin-", "-kle", "star", "床", "前"]) == "Twinkle star 床前"


def test_reply_shows_each_line_split_into_syllables():
    from lyrics.setting import format_lyrics_reply

    s = set_lyrics("Twinkle twinkle little star\n床前明月光", MusicSpec(), GEN, 0)
    reply = format_lyrics_reply(s.lines, "en")
    assert "1. Twin-kle twin-kle lit-tle star" in reply and "2. 床·前 明·月·光" in reply
    assert format_lyrics_reply(s.lines, "zh").startswith("歌词")


def test_melismas_only_when_asked_and_counted():
    from lyrics.detect import wants_melisma

    plain = set_lyrics(VERSE, MusicSpec(), GEN, 4)
    assert plain.melismas == 0 and len(plain.notes) == len(plain.events)
    sung = set_lyrics(VERSE, MusicSpec(), GEN, 4, melisma=True)
    assert sung.melismas > 0
    assert len(sung.notes) == len(sung.events) + sung.melismas
    assert sum(1 for n in sung.notes if n.lyric) == len(sung.events)  # still one lyric note per syllable
    assert wants_melisma("set this with melismas") and wants_melisma("加点转音") and not wants_melisma("a sad song")


def test_a_failing_generator_falls_back_to_the_rules():
    class Broken:
        name = "broken"

        def fill_rhythm(self, spec, chords, rhythm, seed):
            raise RuntimeError("checkpoint mismatch")

    s = set_lyrics(VERSE, MusicSpec(), Broken(), 0)
    assert len(s.notes) == len(s.events) > 0


def test_a_raised_chorus_rises_as_one_section_not_line_by_line():
    from lyrics.setting import set_lyrics
    from music.spec import MusicSpec as Spec

    words = ("[Verse]\nI walk alone along the shore\nThe waves keep calling out for more\n[Chorus]\n"
             "Hold on hold on to me\nNever let me go")
    n_verse = 16  # syllables in the two verse lines
    lifted_any = False
    for seed in range(1, 6):
        plain = set_lyrics(words, Spec(), GEN, seed)
        lifted = set_lyrics(words, Spec(), GEN, seed, section_shift={"chorus": 7})
        a, b = [n.pitch for n in plain.notes], [n.pitch for n in lifted.notes]
        assert a[:n_verse] == b[:n_verse]
        moves = [y - x for x, y in zip(a[n_verse:-1], b[n_verse:-1], strict=True)]
        assert all(m >= 0 for m in moves)  # no chorus note is pushed down
        lifted_any = lifted_any or sum(moves) > 0
    assert lifted_any
