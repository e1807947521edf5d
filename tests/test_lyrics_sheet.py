"""What is sung from a pasted song sheet: chords and performance directions are not words."""

import pytest

from lyrics.setting import lyric_lines


def sung(text: str) -> list[str]:
    return [ln.line for ln in lyric_lines(text)]


def test_chord_lines_above_the_words_are_not_sung():
    sheet = ("[Verse]\nG        D\nMorning comes to Mary's door\nEm          C\nLight across the kitchen floor\n"
             "Dm7 G7 Cmaj7 Am\nKettle singing on the stove\nC/G   F#m7b5   Bbmaj7\nWarm as any word of love")
    assert sung(sheet) == ["Morning comes to Mary's door", "Light across the kitchen floor",
                           "Kettle singing on the stove", "Warm as any word of love"]


def test_chinese_lines_under_chords():
    assert sung("C          G\n晚风吹过窗台\nAm         F\n星星落在海面") == ["晚风吹过窗台", "星星落在海面"]


def test_inline_chordpro_chords_are_removed_and_markers_stay_markers():
    lines = lyric_lines("[Verse]\n[G]Morning comes to [D]Mary's door\n[Chorus]\n[Em]Light a[C]cross the floor")
    assert [ln.line for ln in lines] == ["Morning comes to Mary's door", "Light across the floor"]
    assert [ln.section for ln in lines] == ["verse", "chorus"]
    assert lines[0].syllables == ("Morn", "ing", "comes", "to", "Ma", "ry's", "door")


@pytest.mark.parametrize("mark", ["(x2)", "x2", "×2", "[x2]", "(2x)"])
def test_a_line_marked_x2_is_sung_twice(mark):
    assert sung(f"Candles in the window\nShine on me {mark}\nAll the way home") == [
        "Candles in the window", "Shine on me", "Shine on me", "All the way home"]


@pytest.mark.parametrize("direction", ["Repeat chorus", "Chorus x2", "(Repeat)", "[Repeat Chorus]"])
def test_repeat_directions_sing_the_chorus_again(direction):
    sheet = f"[Verse]\nRiver running down\n[Chorus]\nShine on, shine on\nShine on me\n[Verse]\nLate again\n{direction}"
    times = 2 if "x2" in direction else 1
    assert sung(sheet) == ["River running down", "Shine on, shine on", "Shine on me", "Late again",
                           *(["Shine on, shine on", "Shine on me"] * times)]


def test_chinese_repeat_direction():
    assert sung("主歌\n晚风吹过\n副歌\n我想你\n重复副歌") == ["晚风吹过", "我想你", "我想你"]


@pytest.mark.parametrize("direction", ["Repeat chorus", "(Repeat)", "重复副歌"])
def test_a_repeat_with_no_chorus_is_dropped(direction):
    assert sung(f"River running down\nStones beneath the sea\nSilver in the sound\n{direction}") == [
        "River running down", "Stones beneath the sea", "Silver in the sound"]


def test_a_counted_chorus_label_sings_the_lines_under_it_twice():
    assert sung("Verse line here\nChorus x2\nLa la la la\nSing along") == [
        "Verse line here", "La la la la", "Sing along", "La la la la", "Sing along"]
