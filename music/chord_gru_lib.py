"""The GRU chord model in plain numpy, so ``music.harmony`` can sample from it without torch.

Weights are exported by ``python -m generators.chord_rnn`` to ``music/data/chord_gru.npz``
(PyTorch's GRU gate layout: reset, update, new). ``GruScorer`` gives the same
``prob(mode, history, tok)`` the n-gram gives, caching hidden states per history
prefix, so sampling a piece costs one GRU step per chord plus one per look-ahead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from music.chord_model_lib import BOS, DATA_DIR

GRU_PATH = DATA_DIR / "chord_gru.npz"
UNK = "<unk>"
MODE_TOKENS = {"major": "<major>", "minor": "<minor>"}


@dataclass(frozen=True)
class GruWeights:
    vocab: tuple[str, ...]
    emb: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray
    b_ih: np.ndarray
    b_hh: np.ndarray
    w_out: np.ndarray
    b_out: np.ndarray

    @property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.vocab)}


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def gru_step(w: GruWeights, h: np.ndarray, x_ids: np.ndarray) -> np.ndarray:
    """One step for a batch: h (B, H), token ids (B,) -> new h (B, H)."""
    x = w.emb[x_ids]
    gi = x @ w.w_ih.T + w.b_ih
    gh = h @ w.w_hh.T + w.b_hh
    hs = h.shape[1]
    r = _sigmoid(gi[:, :hs] + gh[:, :hs])
    z = _sigmoid(gi[:, hs:2 * hs] + gh[:, hs:2 * hs])
    n = np.tanh(gi[:, 2 * hs:] + r * gh[:, 2 * hs:])
    return (1.0 - z) * n + z * h


def softmax_out(w: GruWeights, h: np.ndarray) -> np.ndarray:
    logits = h @ w.w_out.T + w.b_out
    logits -= logits.max(axis=-1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class GruScorer:
    """``prob(mode, history, tok)`` from the GRU; one scorer per progression (its cache is private)."""

    w: GruWeights
    _hidden: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    _dist: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)

    def _key(self, mode: str, history: Sequence[str]) -> tuple[str, ...]:
        return (MODE_TOKENS.get(mode, MODE_TOKENS["major"]), *[t for t in history if t != BOS])

    def _state(self, key: tuple[str, ...]) -> np.ndarray:
        if key in self._hidden:
            return self._hidden[key]
        prev = np.zeros((1, self.w.w_hh.shape[1]), dtype=np.float32) if len(key) == 1 else self._state(key[:-1])
        index = self.w.index
        tok = key[-1] if len(key) > 1 else key[0]
        if len(key) == 1:
            h = gru_step(self.w, prev, np.array([index[tok]]))
        else:
            h = gru_step(self.w, prev, np.array([index.get(tok, index[UNK])]))
        self._hidden[key] = h
        return h

    def distribution(self, mode: str, history: Sequence[str]) -> np.ndarray:
        key = self._key(mode, history)
        if key not in self._dist:
            self._dist[key] = softmax_out(self.w, self._state(key))[0]
        return self._dist[key]

    def prob(self, mode: str, history: Sequence[str], tok: str) -> float:
        index = self.w.index
        return float(self.distribution(mode, history)[index.get(tok, index[UNK])])


def load_weights(path: Path) -> GruWeights:
    d = np.load(path, allow_pickle=False)
    return GruWeights(tuple(str(t) for t in d["vocab"]), d["emb"], d["w_ih"], d["w_hh"], d["b_ih"], d["b_hh"],
                      d["w_out"], d["b_out"])


@lru_cache(maxsize=2)
def load_gru(path: str = str(GRU_PATH)) -> GruWeights | None:
    """The exported GRU, or None when it is missing or unreadable (the n-gram then samples)."""
    try:
        return load_weights(Path(path))
    except (OSError, KeyError, ValueError):
        return None
