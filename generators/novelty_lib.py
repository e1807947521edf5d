"""Novelty guard: how long a run of a melody could be copied note-for-note from a training tune.

A melody is seen as its events (interval to the next note, inter-onset steps):
transposition-invariant and blind to articulation, the same view the novelty
benchmark takes. The index is the sorted set of hashed ``K``-event windows of
every training melody (a few MB, shipped beside the checkpoints). Chained
hits give an upper bound on the longest copied run, never an underestimate, so
a candidate the guard passes cannot copy more than it reports.

Pure numpy; no torch, so the index builds and loads anywhere.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

K = 5  # events per hashed window (6 notes): short enough to see copies of long notes, long enough that chance chains stay rare
_P = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier for the rolling hash
INDEX_PATH = Path(__file__).parent / "checkpoints" / "novelty_index.npz"


def events_of(pitches: np.ndarray, onsets: np.ndarray) -> np.ndarray:
    """(n-1,) int64 codes of (interval, inter-onset steps) between consecutive notes."""
    p = np.asarray(pitches, dtype=np.int64)
    o = np.asarray(onsets, dtype=np.int64)
    if len(p) < 2:
        return np.zeros(0, dtype=np.int64)
    interval = np.clip(np.diff(p), -127, 127) + 128
    ioi = np.clip(np.diff(o), 0, 4095)
    return interval * 4096 + ioi + 1  # + 1: never zero, so a zero code can mark a boundary


def window_hashes(events: np.ndarray, k: int = K) -> np.ndarray:
    """uint64 hash of every ``k``-event window (``len - k + 1`` of them); windows crossing a 0 are dropped."""
    n = len(events) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    e = events.astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _P + e[j: j + n]
    bad = np.convolve((events == 0).astype(np.int64), np.ones(k, dtype=np.int64), mode="valid") > 0
    return np.where(bad, np.uint64(0), h)


def build_index(melodies: list[tuple[np.ndarray, np.ndarray]], k: int = K) -> np.ndarray:
    """Sorted unique window hashes of ``(pitches, onsets)`` melodies."""
    parts = [events_of(p, o) for p, o in melodies]
    joined = np.concatenate([np.concatenate([e, [0]]) for e in parts]) if parts else np.zeros(0, np.int64)
    h = window_hashes(joined, k)
    return np.unique(h[h != 0])


def longest_copy_steps(pitches: np.ndarray, onsets: np.ndarray, ends: np.ndarray, index: np.ndarray,
                       k: int = K) -> int:
    """Upper bound, in grid steps, on the longest span of the melody also found in a training tune.

    Consecutive windows that all hit the index are chained; the span runs from the
    first note of the chain to the end of its last note (as the benchmark measures).
    """
    ev = events_of(pitches, onsets)
    h = window_hashes(ev, k)
    if len(h) == 0 or len(index) == 0:
        return 0
    pos = np.clip(np.searchsorted(index, h), 0, len(index) - 1)
    hit = index[pos] == h
    best, i = 0, 0
    while i < len(hit):
        if not hit[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(hit) and hit[j + 1]:
            j += 1
        best = max(best, int(ends[j + k] - onsets[i]))  # notes i .. j + k
        i = j + 1
    return best


def save_index(index: np.ndarray, path: Path = INDEX_PATH, k: int = K) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, hashes=index, k=np.int64(k))


def load_index(path: Path = INDEX_PATH) -> tuple[np.ndarray, int] | None:
    """(hashes, k), or None when no index was shipped (the guard is then off)."""
    if not Path(path).exists():
        return None
    with np.load(path, allow_pickle=False) as z:
        return z["hashes"], int(z["k"])


def main(argv: list[str] | None = None) -> None:
    """Build the index from the training split of the cached corpus."""
    import argparse

    from generators.corpus_io import load_tunes
    from generators.melody_lib import split_of

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=K, help="events per hashed window")
    k = ap.parse_args(argv).k
    tunes = [t for t in load_tunes() if split_of(t) == "train"]
    index = build_index([(t.pitches, t.onsets) for t in tunes], k)
    save_index(index, INDEX_PATH, k)
    print(f"{len(index):,} distinct {k}-event windows from {len(tunes):,} training tunes -> {INDEX_PATH} "
          f"({INDEX_PATH.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
