"""Pure melody logic for the training corpus: keys, chords, labels, dedup, splits.

No torch and no music21 here: these functions take plain arrays so the corpus
reader (``corpus_io``), the encoder (``melody_encoder_decoder``) and the
benchmarks all agree on what a tune's key, chords and attributes are.
Times are integer steps of a sixteenth note (``STEPS_PER_BEAT`` per quarter).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from music.conditioning import (
    conditioning_vector,
    density_feature,
    proxy_valence_arousal,
    register_feature,
)
from music.score import beats_per_bar, parse_time_signature
from music.theory import chord_pcs, diatonic_triad

STEPS_PER_BEAT = 4  # sixteenth-note grid
CHORD_QUALITIES_USED: tuple[str, ...] = ("maj", "min", "dim")

# Krumhansl-Kessler profiles, as music21's ``analyze('key')`` uses them.
_KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])


@dataclass(frozen=True)
class Tune:
    """One monophonic melody with its key, meter and chord track (one chord per beat)."""

    tune_id: str
    collection: str
    style: str
    title: str
    pitches: np.ndarray  # MIDI pitches, int
    onsets: np.ndarray  # onset steps
    durations: np.ndarray  # duration steps
    tonic_pc: int
    mode: str  # "major" or "minor"
    time_signature: str
    tempo_bpm: float
    chord_roots: np.ndarray  # per beat, -1 = no chord
    chord_quals: np.ndarray  # per beat, index into CHORD_QUALITIES_USED

    @property
    def steps_per_bar(self) -> int:
        return steps_per_bar(self.time_signature)

    @property
    def n_steps(self) -> int:
        return int((self.onsets + self.durations).max()) if len(self.onsets) else 0


def steps_per_bar(time_signature: str) -> int:
    return int(round(beats_per_bar(parse_time_signature(time_signature)) * STEPS_PER_BEAT))


def pc_histogram(pitches: np.ndarray, durations: np.ndarray) -> np.ndarray:
    """Duration-weighted pitch-class histogram (12 floats)."""
    hist = np.zeros(12)
    np.add.at(hist, np.asarray(pitches, dtype=int) % 12, np.asarray(durations, dtype=float))
    return hist


def _profiles() -> np.ndarray:
    """(2, 12, 12) z-scored key profiles: [mode, tonic, pitch class]."""
    rows = np.array([[np.roll(prof, t) for t in range(12)] for prof in (_KK_MAJOR, _KK_MINOR)])
    return (rows - rows.mean(-1, keepdims=True)) / rows.std(-1, keepdims=True)


_PROFILES = _profiles()


def key_scores(hist: np.ndarray) -> np.ndarray:
    """Correlation of a histogram with the 24 rotated key profiles: rows major/minor, columns tonic."""
    hist = np.asarray(hist, dtype=float)
    sd = hist.std()
    if hist.sum() <= 0 or sd == 0:
        return np.zeros((2, 12))
    return _PROFILES @ ((hist - hist.mean()) / sd) / 12.0


def estimate_key(pitches: np.ndarray, durations: np.ndarray) -> tuple[int, str]:
    """Krumhansl-Schmuckler key estimate: (tonic pitch class, 'major' | 'minor')."""
    scores = key_scores(pc_histogram(pitches, durations))
    m, t = np.unravel_index(int(np.argmax(scores)), scores.shape)
    return int(t), ("major", "minor")[int(m)]


def candidate_chords(tonic_pc: int, mode: str) -> list[tuple[int, str]]:
    """Diatonic triads of the key, plus the major dominant in minor (harmonic minor)."""
    chords = [diatonic_triad(tonic_pc, mode, d) for d in range(1, 8)]
    chords = [(r, q if q in CHORD_QUALITIES_USED else "maj") for r, q in chords]
    if mode == "minor":
        chords.append(((tonic_pc + 7) % 12, "maj"))
    return list(dict.fromkeys(chords))


def estimate_chords(
    pitches: np.ndarray,
    onsets: np.ndarray,
    durations: np.ndarray,
    tonic_pc: int,
    mode: str,
    n_beats: int,
    window_beats: int,
) -> tuple[np.ndarray, np.ndarray]:
    """One diatonic triad per window of ``window_beats`` beats, spread to every beat.

    Each window picks the triad that covers most of its sounding duration
    (root counted most), with a small bias to the primary chords and to keeping
    the previous chord, so a melody alone still gets a plausible harmony.
    """
    cands = candidate_chords(tonic_pc, mode)
    primary = {tonic_pc % 12, (tonic_pc + 5) % 12, (tonic_pc + 7) % 12}
    roots = np.full(n_beats, -1, dtype=np.int8)
    quals = np.zeros(n_beats, dtype=np.int8)
    win = max(1, window_beats) * STEPS_PER_BEAT
    ends = onsets + durations
    prev: tuple[int, str] | None = None
    for w0 in range(0, n_beats * STEPS_PER_BEAT, win):
        w1 = w0 + win
        overlap = np.clip(np.minimum(ends, w1) - np.maximum(onsets, w0), 0, None).astype(float)
        if overlap.sum() <= 0:
            continue
        weights = pc_histogram(pitches, overlap)
        on_first = (onsets >= w0) & (onsets < w0 + STEPS_PER_BEAT)
        weights += 0.5 * pc_histogram(pitches[on_first], overlap[on_first])
        best, best_score = cands[0], -1e9
        for root, qual in cands:
            pcs = chord_pcs(root, qual)
            score = 1.2 * weights[pcs[0]] + sum(weights[p] for p in pcs[1:])
            score -= 0.6 * (weights.sum() - sum(weights[p] for p in pcs))
            score += 0.15 * weights.sum() * (root in primary) + 0.1 * weights.sum() * ((root, qual) == prev)
            if score > best_score:
                best, best_score = (root, qual), score
        prev = best
        b0, b1 = w0 // STEPS_PER_BEAT, min(n_beats, w1 // STEPS_PER_BEAT)
        roots[b0:b1] = best[0]
        quals[b0:b1] = CHORD_QUALITIES_USED.index(best[1])
    # Carry chords into silent windows so every beat has harmony once it starts.
    last = -1
    for i in range(n_beats):
        if roots[i] < 0 and last >= 0:
            roots[i], quals[i] = roots[last], quals[last]
        elif roots[i] >= 0:
            last = i
    return roots, quals


def chord_window_beats(time_signature: str, polyphonic: bool) -> int:
    """Harmonic rhythm used when estimating chords: per beat for chorales, else per bar or half bar."""
    if polyphonic:
        return 1
    bpb = beats_per_bar(parse_time_signature(time_signature))
    return max(1, int(round(bpb / 2 if bpb >= 4 else bpb)))


def window_attributes(
    pitches: np.ndarray, durations_steps: np.ndarray, n_onsets: int, n_steps: int
) -> tuple[float, float]:
    """(mean pitch, onsets per beat) of a window, the raw material of the labels."""
    if len(pitches) == 0 or n_steps <= 0:
        return 67.0, 0.0
    mean_pitch = float(np.average(pitches, weights=np.maximum(durations_steps, 1)))
    return mean_pitch, n_onsets / (n_steps / STEPS_PER_BEAT)


def label_vector(
    mode: str, time_signature: str, tempo_bpm: float, mean_pitch: float, onsets_per_beat: float, style: str
) -> list[float]:
    """The conditioning vector of a stretch of real music, using the parser's definition."""
    valence, arousal = proxy_valence_arousal(mode == "major", mean_pitch, onsets_per_beat, tempo_bpm)
    return conditioning_vector(
        valence, arousal, tempo_bpm, mode, time_signature,
        density_feature(onsets_per_beat), register_feature(mean_pitch), style,
    )


def bin3(x: float) -> int:
    """Low / middle / high bin of a feature in [-1, 1] (edges at -1/3 and +1/3)."""
    return 0 if x < -1 / 3 else (2 if x > 1 / 3 else 1)


def tune_fingerprint(tune: Tune) -> str:
    """Transposition-invariant hash of the notes, used to drop duplicate tunes."""
    p = np.asarray(tune.pitches, dtype=int)
    rel = (p - p[0]) if len(p) else p
    payload = np.stack([rel, tune.durations, tune.onsets - (tune.onsets[0] if len(p) else 0)]).tobytes()
    return hashlib.sha1(payload + tune.time_signature.encode()).hexdigest()


def dedup(tunes: list[Tune]) -> list[Tune]:
    seen: set[str] = set()
    out = []
    for t in tunes:
        fp = tune_fingerprint(t)
        if fp not in seen:
            seen.add(fp)
            out.append(t)
    return out


def split_of(tune: Tune, valid_pct: int = 5, test_pct: int = 5) -> str:
    """'train' | 'valid' | 'test', stable per tune (hash of its notes), so no tune leaks across splits."""
    h = int(tune_fingerprint(tune)[:8], 16) % 100
    if h < test_pct:
        return "test"
    if h < test_pct + valid_pct:
        return "valid"
    return "train"


def style_for(collection: str, title: str, time_signature: str) -> str:
    """Style hint from the source collection, refined by tune-type words in the title."""
    t = title.lower()
    if "waltz" in t or "walzer" in t:
        return "waltz"
    if "march" in t or "marsch" in t:
        return "march"
    if "lullaby" in t or "wiegenlied" in t or "schlaf" in t:
        return "lullaby"
    return {"han": "chinese", "celtic": "celtic", "chorale": "chorale"}.get(collection, "folk")
