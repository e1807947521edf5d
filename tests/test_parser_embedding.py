"""The embedding path (all-MiniLM-L6-v2, offline): phrases without lexicon words still find mood and style.

One model load (about 10 s) is shared by the whole module.
"""

from __future__ import annotations

import pytest

from assistant import embedding
from assistant.parser import parse_message


@pytest.fixture(scope="module")
def model_loaded():
    embedding.load()
    return True


def test_phrases_are_split_short():
    phrases = embedding.split_phrases("Slow and dreamy, with soft pads; something for a rainy night.")
    assert 2 <= len(phrases) <= embedding.MAX_PHRASES
    assert all(len(p) < 60 for p in phrases)


def test_mood_without_lexicon_words(model_loaded):
    mood, _ = embedding.match_phrases("music for the moment you lose someone you love forever")
    assert mood is not None and mood.label in ("sad", "nostalgic", "tender")


def test_style_without_lexicon_words(model_loaded):
    _, style = embedding.match_phrases("something to sing a small baby to sleep")
    assert style is not None and style.label == "lullaby"


def test_embedding_path_fills_the_spec(model_loaded):
    text = "winning the lottery"
    lex = parse_message(text, None, use_embeddings=False).spec
    emb = parse_message(text, None).spec
    assert lex.mood == "neutral" and emb.mood != "neutral" and emb.valence > 0


def test_explicit_words_still_win(model_loaded):
    spec = parse_message("a happy jazz tune in D major at 120 bpm", None).spec
    assert spec.style == "jazz" and spec.mode == "major" and spec.tempo_bpm == 120 and spec.valence > 0


def test_chinese_is_not_sent_to_the_english_model(model_loaded):
    spec = parse_message("来一首欢快的笛子曲", None).spec
    assert spec.style == "chinese" and spec.valence > 0
