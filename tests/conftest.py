"""Shared fixtures: small scores and an in-process chat engine on the baseline generator."""

from __future__ import annotations

import pytest

from assistant.chat import ChatEngine
from assistant.store import SessionStore
from generators.baseline import BaselineGenerator
from music.score import ChordEvent, Note, Score, Track


@pytest.fixture
def small_score() -> Score:
    melody = Track("Flute", 73, "melody", notes=[
        Note(62, 0.0, 1.0, 90, "明"), Note(64, 1.0, 1.0, 80, "月"), Note(65, 2.0, 1.0, 80, "光"),
        Note(69, 3.0, 3.0, 90, "照"),
    ])
    chords = Track("Piano", 0, "chords", notes=[Note(p, 0.0, 3.0, 60) for p in (50, 53, 57)]
                   + [Note(p, 3.0, 3.0, 60) for p in (50, 55, 58)])
    drums = Track("Drum Kit", 0, "drums", is_drum=True, notes=[Note(36, b * 1.0, 0.25, 100) for b in range(6)])
    return Score(70.0, "D", "minor", (3, 4), 2, [melody, chords, drums],
                 chords=[ChordEvent("Dm", 2, "min", 0.0, 3.0), ChordEvent("Gm", 7, "min", 3.0, 3.0)])


@pytest.fixture
def engine(tmp_path) -> ChatEngine:
    return ChatEngine(SessionStore(tmp_path / "db.sqlite"), tmp_path / "files", generator=BaselineGenerator())
