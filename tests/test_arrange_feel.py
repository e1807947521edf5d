"""Feel: swing moves only the off-beats, humanising stays within tasteful bounds and is reproducible."""

from __future__ import annotations

import random

import pytest

from music.form_lib import form_plan
from music.mix_lib import MAX_TIMING_JITTER, MAX_VELOCITY_JITTER, humanise, swing_notes, swing_time
from music.score import Note


@pytest.mark.parametrize("ratio", [0.5, 0.6, 2 / 3])
def test_swing_moves_offbeats_only(ratio):
    assert swing_time(3.0, ratio) == pytest.approx(3.0)
    assert swing_time(3.5, ratio) == pytest.approx(3.0 + ratio)
    notes = swing_notes([Note(60, 0.5, 0.5), Note(62, 1.0, 0.5)], ratio)
    assert notes[0].start == pytest.approx(ratio) and notes[0].end == pytest.approx(1.0)
    assert notes[1].start == pytest.approx(1.0)


def test_humanise_is_bounded_and_seeded():
    notes = [Note(60 + k % 12, k * 0.5, 0.4, 80, "la" if k % 3 == 0 else None) for k in range(400)]
    a = humanise(notes, random.Random(3), timing=0.5, velocity=60)  # asks for far too much
    assert a == humanise(notes, random.Random(3), timing=0.5, velocity=60)
    assert a != humanise(notes, random.Random(4), timing=0.5, velocity=60)
    for before, after in zip(notes, a, strict=True):
        assert abs(after.start - before.start) <= 2 * MAX_TIMING_JITTER + 1e-9
        assert abs(after.velocity - before.velocity) <= MAX_VELOCITY_JITTER
        assert after.pitch == before.pitch and after.lyric == before.lyric


@pytest.mark.parametrize("bars", list(range(1, 129)))
def test_form_covers_every_bar_once(bars):
    for song in (False, True):
        plan = form_plan(bars, song)
        assert plan[0].start_bar == 0 and sum(s.bars for s in plan) == bars
        assert all(a.start_bar + a.bars == b.start_bar for a, b in zip(plan, plan[1:], strict=False))
        if bars >= 12:
            assert plan[0].name == "intro" and plan[-1].name == "ending"
            assert {"verse", "chorus"} & {s.name for s in plan} if song and bars >= 20 else True
