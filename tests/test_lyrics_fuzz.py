"""Arbitrary text never raises, and the one-note-per-syllable contract always holds."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generators.baseline import BaselineGenerator
from lyrics.detect import split_lyrics_request
from lyrics.setting import set_lyrics
from lyrics.syllables import syllabify_line
from music.spec import MusicSpec

GEN = BaselineGenerator()
TEXT = st.text(st.characters(codec="utf-8"), max_size=300) | st.lists(
    st.sampled_from(["love", "I'm", "waitin'", "2024", "5:15", "床前明月光", "[Chorus]", "副歌：", "🌙", "\n", " ",
                     "Supercalifragilistic", "x", "'", "-", "o'er", "！", "\t", "def f(): pass"]),
    max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["4/4", "3/4", "6/8", "2/4", "5/4", "7/8", "12/8"]),
       st.floats(min_value=20, max_value=300))
def test_any_text_sets_without_raising(text, meter, tempo):
    s = set_lyrics(text, MusicSpec(time_signature=meter, tempo_bpm=tempo), GEN, 0)
    assert 1 <= s.bars <= 128
    assert len(s.notes) == sum(len(ln.syllables) for ln in s.lines)
    assert len({round(n.start, 6) for n in s.notes}) == len(s.notes)
    assert all(n.duration > 0 and 0 <= n.pitch <= 127 for n in s.notes)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_detection_and_syllables_never_raise(text):
    instruction, words = split_lyrics_request(text)
    assert isinstance(instruction, str) and (words is None or isinstance(words, str))
    assert isinstance(syllabify_line(text), list)
