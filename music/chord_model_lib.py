"""The learned chord model: an interpolated Kneser-Ney n-gram over key-relative chord tokens.

Counts are kept per mode family ("major", "minor"); a phrase boundary is a token
(``PHRASE``) in the sequences, so the model learns which chords end phrases and
which begin them. Pure Python with a JSON artefact (``music/data/chord_ngram.json``)
so the pipeline loads it in milliseconds without torch.
"""

from __future__ import annotations

import json
import math
import zlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
MODEL_PATH = DATA_DIR / "chord_ngram.json"
BOS, EOS, PHRASE = "<s>", "</s>", "|"
MODE_FAMILIES = ("major", "minor")


@dataclass(frozen=True)
class ChordNgram:
    """Counts of every order up to ``order``: ``counts[mode][k][context][next]`` with ``k`` tokens of context."""

    order: int
    vocab: tuple[str, ...]  # chord tokens plus PHRASE and EOS (what can be predicted)
    counts: dict[str, list[dict[str, dict[str, int]]]]
    discount: float = 0.75

    def prob(self, mode: str, history: Sequence[str], tok: str) -> float:
        """P(tok | the last order-1 tokens of history) for a mode family, never zero."""
        table = self.counts.get(mode) or self.counts[MODE_FAMILIES[0]]
        p = 1.0 / len(self.vocab)
        for k in range(0, self.order):
            if k > len(history):
                break
            ctx = " ".join(history[len(history) - k:]) if k else ""
            nexts = table[k].get(ctx)
            if not nexts:
                continue
            total = sum(nexts.values())
            types = len(nexts)
            p = max(nexts.get(tok, 0) - self.discount, 0.0) / total + self.discount * types / total * p
        return p

    def distribution(self, mode: str, history: Sequence[str], candidates: Sequence[str]) -> list[float]:
        return [self.prob(mode, history, c) for c in candidates]

    @property
    def chord_vocab(self) -> tuple[str, ...]:
        return tuple(t for t in self.vocab if t not in (PHRASE, EOS))


def record_to_sequence(record: dict) -> list[str]:
    """Tokens with phrase marks after each phrase end, framed by BOS and EOS."""
    ends = set(record["phrase_ends"])
    seq = [BOS] * 2
    for i, tok in enumerate(record["tokens"]):
        seq.append(tok)
        if i in ends and i != len(record["tokens"]) - 1:
            seq.append(PHRASE)
    return seq + [EOS]


def fit_ngram(records: Sequence[dict], order: int = 3, discount: float = 0.75) -> ChordNgram:
    """Kneser-Ney style counts: the highest order uses raw counts, lower orders continuation counts."""
    raw: dict[str, list[dict[str, dict[str, int]]]] = {}
    vocab: set[str] = {PHRASE, EOS}
    for mode in MODE_FAMILIES:
        levels: list[dict[str, dict[str, int]]] = [defaultdict(lambda: defaultdict(int)) for _ in range(order)]
        seen: list[set[tuple[str, str]]] = [set() for _ in range(order)]
        for rec in records:
            if rec["mode"] != mode:
                continue
            seq = record_to_sequence(rec)
            vocab.update(t for t in seq if t != BOS)
            for i in range(2, len(seq)):
                tok = seq[i]
                for k in range(order):
                    ctx = " ".join(seq[i - k:i]) if k else ""
                    if k == order - 1:
                        levels[k][ctx][tok] += 1
                    else:
                        # continuation count: in how many distinct longer contexts does tok follow ctx
                        longer = seq[i - k - 1] if i - k - 1 >= 0 else BOS
                        if (longer + " " + ctx, tok) not in seen[k]:
                            seen[k].add((longer + " " + ctx, tok))
                            levels[k][ctx][tok] += 1
        raw[mode] = [{c: dict(n) for c, n in lvl.items()} for lvl in levels]
    return ChordNgram(order, tuple(sorted(vocab)), raw, discount)


def fit_unigram(records: Sequence[dict]) -> dict[str, dict[str, float]]:
    """Add-one unigram per mode family: the baseline the n-gram must beat."""
    out: dict[str, dict[str, float]] = {}
    vocab = {t for r in records for t in record_to_sequence(r) if t != BOS}
    for mode in MODE_FAMILIES:
        counts: dict[str, int] = defaultdict(int)
        for r in records:
            if r["mode"] == mode:
                for t in record_to_sequence(r)[2:]:
                    counts[t] += 1
        total = sum(counts.values()) + len(vocab)
        out[mode] = {t: (counts[t] + 1) / total for t in vocab}
    return out


def split_corpus(records: Sequence[dict], heldout_share: float = 0.1) -> tuple[list[dict], list[dict]]:
    """Deterministic split by a hash of the record id, so every run holds out the same tunes."""
    train, test = [], []
    for r in records:
        (test if zlib.crc32(r["id"].encode()) % 1000 < heldout_share * 1000 else train).append(r)
    return train, test


def perplexity(records: Sequence[dict], prob) -> float:
    """exp of the mean negative log-probability of every predicted token (chords, phrase marks, end).

    ``prob(mode, history, tok)``; unknown tokens get the model's own smoothing.
    """
    nll, n = 0.0, 0
    for r in records:
        seq = record_to_sequence(r)
        for i in range(2, len(seq)):
            nll -= math.log(max(prob(r["mode"], seq[:i], seq[i]), 1e-12))
            n += 1
    return math.exp(nll / max(n, 1))


def model_to_dict(model: ChordNgram) -> dict:
    return {"order": model.order, "vocab": list(model.vocab), "discount": model.discount, "counts": model.counts}


def model_from_dict(d: dict) -> ChordNgram:
    return ChordNgram(d["order"], tuple(d["vocab"]), d["counts"], d.get("discount", 0.75))


def save_model(model: ChordNgram, path: Path = MODEL_PATH) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model_to_dict(model), separators=(",", ":"), sort_keys=True))
    return path


@lru_cache(maxsize=2)
def load_model(path: str = str(MODEL_PATH)) -> ChordNgram | None:
    """The shipped model, or None when the artefact is missing or unreadable (callers fall back to rules)."""
    try:
        return model_from_dict(json.loads(Path(path).read_text()))
    except (OSError, ValueError, KeyError):
        return None
