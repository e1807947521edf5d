"""A GRU chord model, trained on the same sequences as the n-gram, to measure one against the other.

``python -m generators.chord_rnn`` trains on the n-gram's training split of
``music/data/chord_corpus.json`` and writes ``generators/data/chord_rnn.pt``;
``benchmarks/arrangement.py`` reports its held-out perplexity next to the n-gram's.
It also exports the weights to ``music/data/chord_gru.npz``, which ``music.harmony``
samples from in numpy (``music.chord_gru_lib``) when present; without it the
pipeline samples from the n-gram.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import torch
from torch import nn

from music.chord_model_lib import BOS, record_to_sequence, split_corpus
from music.train_chords import CORPUS_PATH

CHECKPOINT = Path(__file__).parent / "data" / "chord_rnn.pt"
GRU_EXPORT = Path(__file__).resolve().parent.parent / "music" / "data" / "chord_gru.npz"
UNK = "<unk>"
MODE_TOKENS = {"major": "<major>", "minor": "<minor>"}


class ChordGRU(nn.Module):
    def __init__(self, vocab: int, emb: int = 48, hidden: int = 96, dropout: float = 0.2):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.gru = nn.GRU(emb, hidden, batch_first=True)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h, _ = self.gru(self.drop(self.emb(x)))
        return self.out(self.drop(h))


def encode(record: dict, index: dict[str, int]) -> list[int]:
    """Mode token first (the conditioning), then the n-gram's sequence without its padding BOS."""
    seq = [MODE_TOKENS[record["mode"]]] + [t for t in record_to_sequence(record) if t != BOS]
    return [index.get(t, index[UNK]) for t in seq]


def build_vocab(records: list[dict]) -> list[str]:
    toks = sorted({t for r in records for t in record_to_sequence(r) if t != BOS})
    return [UNK, *MODE_TOKENS.values(), *toks]


def _batches(seqs: list[list[int]], size: int, gen: torch.Generator):
    order = torch.randperm(len(seqs), generator=gen).tolist()
    for i in range(0, len(order), size):
        chunk = [seqs[j] for j in order[i:i + size]]
        width = max(len(s) for s in chunk)
        x = torch.zeros(len(chunk), width, dtype=torch.long)
        mask = torch.zeros(len(chunk), width, dtype=torch.bool)
        for k, s in enumerate(chunk):
            x[k, :len(s)] = torch.tensor(s)
            mask[k, :len(s)] = True
        yield x, mask


def heldout_perplexity(model: ChordGRU, vocab: list[str], records: list[dict], n_unseen: int) -> float:
    """Same tokens as the n-gram's perplexity: every token after the mode token; unseen types share UNK."""
    index = {t: i for i, t in enumerate(vocab)}
    model.eval()
    nll, n = 0.0, 0
    with torch.no_grad():
        for r in records:
            ids = encode(r, index)
            logp = torch.log_softmax(model(torch.tensor([ids[:-1]])), dim=-1)[0]
            for pos, tok in enumerate(ids[1:]):
                lp = float(logp[pos, tok])
                if tok == index[UNK]:
                    lp -= math.log(max(n_unseen, 1))
                nll -= lp
                n += 1
    return math.exp(nll / max(n, 1))


def train(epochs: int = 40, seed: int = 0, verbose: bool = True) -> tuple[ChordGRU, list[str], float]:
    records = json.loads(CORPUS_PATH.read_text())["records"]
    train_recs, _ = split_corpus(records)  # the n-gram's held-out tunes are never seen here
    fit_recs, valid_recs = split_corpus([{**r, "id": r["id"] + "#valid"} for r in train_recs])
    vocab = build_vocab(fit_recs)
    index = {t: i for i, t in enumerate(vocab)}
    unseen = {t for r in valid_recs for t in record_to_sequence(r)} - set(vocab) - {BOS}
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = ChordGRU(len(vocab))
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    seqs = [encode(r, index) for r in fit_recs]
    best, best_state = float("inf"), None
    for epoch in range(epochs):
        model.train()
        for x, mask in _batches(seqs, 16, gen):
            logits = model(x[:, :-1])
            loss = nn.functional.cross_entropy(logits[mask[:, 1:]], x[:, 1:][mask[:, 1:]])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
        if epoch % 5 == 4 or epoch == epochs - 1:
            ppl = heldout_perplexity(model, vocab, valid_recs, len(unseen))
            if verbose:
                print(f"epoch {epoch + 1:3d}  validation perplexity {ppl:.2f}")
            if ppl < best:  # early stopping on a validation split carved from the training tunes
                best, best_state = ppl, {k: v.clone() for k, v in model.state_dict().items()}
    if best_state is not None:
        model.load_state_dict(best_state)
    return model, vocab, best


def save(model: ChordGRU, vocab: list[str], path: Path = CHECKPOINT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"vocab": vocab, "state": model.state_dict()}, path)
    return path


def export_numpy(model: ChordGRU, vocab: list[str], path: Path = GRU_EXPORT) -> Path:
    """Weights for ``music.chord_gru_lib`` (numpy inference in the pipeline, no torch)."""
    import numpy as np

    sd = {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, vocab=np.array(vocab), emb=sd["emb.weight"], w_ih=sd["gru.weight_ih_l0"],
                        w_hh=sd["gru.weight_hh_l0"], b_ih=sd["gru.bias_ih_l0"], b_hh=sd["gru.bias_hh_l0"],
                        w_out=sd["out.weight"], b_out=sd["out.bias"])
    return path


def load(path: Path = CHECKPOINT) -> tuple[ChordGRU, list[str]] | None:
    if not path.is_file():
        return None
    ck = torch.load(path, map_location="cpu", weights_only=True)
    model = ChordGRU(len(ck["vocab"]))
    model.load_state_dict(ck["state"])
    return model, ck["vocab"]


def evaluate_checkpoint(path: Path = CHECKPOINT) -> float | None:
    """Held-out perplexity of the saved GRU, or None when there is no checkpoint."""
    loaded = load(path)
    if loaded is None:
        return None
    model, vocab = loaded
    records = json.loads(CORPUS_PATH.read_text())["records"]
    _, test_recs = split_corpus(records)
    unseen = {t for r in test_recs for t in record_to_sequence(r)} - set(vocab) - {BOS}
    return heldout_perplexity(model, vocab, test_recs, len(unseen))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=40)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    t0 = time.time()
    model, vocab, best = train(args.epochs)
    save(model, vocab)
    export_numpy(model, vocab)
    params = sum(p.numel() for p in model.parameters())
    test = evaluate_checkpoint()
    print(f"GRU chord model: {params} parameters, validation perplexity {best:.2f}, "
          f"held-out (test) perplexity {test:.2f}, {time.time() - t0:.0f} s")


if __name__ == "__main__":
    main()
