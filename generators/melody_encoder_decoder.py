"""Melodies <-> model inputs: a sixteenth-note grid of REST / HOLD / pitch tokens.

Pitches are stored relative to the tonic's pitch class (``midi - tonic_pc``), so
every tune is seen "in C" at its own register; a requested key is a shift of the
output, which is why key control is exact. Augmentation transposes by octaves
(register) rather than to other keys. Each step also carries the chord sounding
there (12-dim chroma relative to the tonic) and its position in the bar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generators.melody_lib import (
    CHORD_QUALITIES_USED,
    STEPS_PER_BEAT,
    Tune,
    label_vector,
    window_attributes,
)
from music.score import ChordEvent, Note
from music.theory import chord_pcs

REST, HOLD, BOS = 0, 1, 2
PITCH_OFFSET = 3
MIN_REL, MAX_REL = 36, 95  # relative pitch range (MIDI pitch minus tonic pitch class)
N_PITCHES = MAX_REL - MIN_REL + 1
VOCAB = PITCH_OFFSET + N_PITCHES
N_POS = 32  # positions within a bar (sixteenths), clipped


def pitch_to_token(rel_pitch: int) -> int:
    """Token of a tonic-relative pitch, folded by octaves into the range."""
    while rel_pitch < MIN_REL:
        rel_pitch += 12
    while rel_pitch > MAX_REL:
        rel_pitch -= 12
    return PITCH_OFFSET + rel_pitch - MIN_REL


def token_to_pitch(token: int) -> int:
    return int(token) - PITCH_OFFSET + MIN_REL


def is_pitch(token: int) -> bool:
    return token >= PITCH_OFFSET


def notes_to_tokens(rel_pitches, onsets, durations, n_steps: int) -> np.ndarray:
    """Grid tokens for notes given in steps; later notes cut earlier ones short."""
    tokens = np.full(n_steps, REST, dtype=np.int64)
    for p, o, d in zip(rel_pitches, onsets, durations, strict=True):
        o, d = int(o), int(d)
        if o >= n_steps or o < 0:
            continue
        tokens[o] = pitch_to_token(int(p))
        tokens[o + 1: min(n_steps, o + d)] = HOLD
    return tokens


def tokens_to_notes(tokens) -> list[tuple[int, int, int]]:
    """(relative pitch, onset step, duration steps) of every note in a token grid."""
    out: list[tuple[int, int, int]] = []
    cur: list[int] | None = None
    for i, t in enumerate(np.asarray(tokens).tolist()):
        if t >= PITCH_OFFSET:
            if cur:
                out.append((cur[0], cur[1], i - cur[1]))
            cur = [token_to_pitch(t), i]
        elif t != HOLD and cur:
            out.append((cur[0], cur[1], i - cur[1]))
            cur = None
    if cur:
        out.append((cur[0], cur[1], len(tokens) - cur[1]))
    return out


def tokens_to_score_notes(tokens, tonic_pc: int, velocity: int = 90, start_beat: float = 0.0) -> list[Note]:
    """Score notes (beats, absolute pitches) from a token grid written relative to ``tonic_pc``."""
    return [
        Note(pitch=int(np.clip(p + tonic_pc, 0, 127)), start=start_beat + o / STEPS_PER_BEAT,
             duration=d / STEPS_PER_BEAT, velocity=velocity)
        for p, o, d in tokens_to_notes(tokens)
    ]


def score_notes_to_tokens(notes: list[Note], tonic_pc: int, n_steps: int, start_beat: float = 0.0) -> np.ndarray:
    """Inverse of ``tokens_to_score_notes``: quantise to the grid, relative to the tonic."""
    ns = sorted(notes, key=lambda n: n.start)
    return notes_to_tokens(
        [n.pitch - tonic_pc for n in ns],
        [int(round((n.start - start_beat) * STEPS_PER_BEAT)) for n in ns],
        [max(1, int(round(n.duration * STEPS_PER_BEAT))) for n in ns],
        n_steps,
    )


def chord_chroma(root_pc: int, quality: str, tonic_pc: int) -> np.ndarray:
    v = np.zeros(12, dtype=np.float32)
    for pc in chord_pcs(root_pc, quality):
        v[(pc - tonic_pc) % 12] = 1.0
    return v


def tune_chroma(tune: Tune, n_steps: int) -> np.ndarray:
    """(n_steps, 12) chord chroma per step, relative to the tune's tonic."""
    out = np.zeros((n_steps, 12), dtype=np.float32)
    for b, (r, q) in enumerate(zip(tune.chord_roots.tolist(), tune.chord_quals.tolist(), strict=True)):
        if r < 0:
            continue
        s0 = b * STEPS_PER_BEAT
        if s0 >= n_steps:
            break
        out[s0: s0 + STEPS_PER_BEAT] = chord_chroma(r, CHORD_QUALITIES_USED[q], tune.tonic_pc)
    return out


def chords_to_chroma(chords: list[ChordEvent], tonic_pc: int, n_steps: int, start_beat: float = 0.0) -> np.ndarray:
    """(n_steps, 12) chroma of request chords (absolute ChordEvents) relative to the requested tonic."""
    out = np.zeros((n_steps, 12), dtype=np.float32)
    for c in chords:
        try:
            v = chord_chroma(c.root, c.quality, tonic_pc)
        except KeyError:
            continue
        s0 = int(round((c.start - start_beat) * STEPS_PER_BEAT))
        s1 = int(round((c.start + c.duration - start_beat) * STEPS_PER_BEAT))
        if s1 > 0 and s0 < n_steps:
            out[max(0, s0): min(n_steps, s1)] = v
    return out


def positions(n_steps: int, steps_per_bar: int, offset: int = 0) -> np.ndarray:
    return np.minimum((np.arange(n_steps) + offset) % steps_per_bar, N_POS - 1).astype(np.int64)


@dataclass(frozen=True)
class Window:
    """One training example: ``T`` steps of tokens, chroma, positions and the window's label vector."""

    tokens: np.ndarray  # (T,) int
    chroma: np.ndarray  # (T, 12)
    pos: np.ndarray  # (T,) int
    cond: np.ndarray  # (COND_DIM,)
    length: int  # valid steps (rest is padding)


def tune_windows(tune: Tune, max_steps: int, max_bars: int, hop_bars: int, octave_shift: int = 0) -> list[Window]:
    """Bar-aligned windows of a tune, each labelled from its own notes (register, density)."""
    spb = tune.steps_per_bar
    n_bars_win = max(1, min(max_bars, max_steps // spb))
    length = n_bars_win * spb
    total = tune.n_steps
    rel = tune.pitches.astype(int) - tune.tonic_pc + 12 * octave_shift
    tokens_all = notes_to_tokens(rel, tune.onsets, tune.durations, total)
    chroma_all = tune_chroma(tune, total)
    out = []
    n_bars_total = -(-total // spb)
    starts = list(range(0, max(1, n_bars_total - n_bars_win + 1), max(1, hop_bars)))
    for b0 in starts:
        s0 = b0 * spb
        s1 = min(total, s0 + length)
        toks = tokens_all[s0:s1].copy()
        if toks.size == 0:
            continue
        if toks[0] == HOLD:
            toks[0] = REST  # a window never starts inside a held note
        sel = (tune.onsets >= s0) & (tune.onsets < s1)
        if sel.sum() < 4:
            continue
        mean_pitch, opb = window_attributes(rel[sel] + tune.tonic_pc, tune.durations[sel], int(sel.sum()), s1 - s0)
        cond = np.array(label_vector(tune.mode, tune.time_signature, tune.tempo_bpm, mean_pitch, opb, tune.style),
                        dtype=np.float32)
        pad = length - len(toks)
        out.append(Window(
            tokens=np.pad(toks, (0, pad), constant_values=REST),
            chroma=np.pad(chroma_all[s0:s1], ((0, pad), (0, 0))),
            pos=positions(length, spb),
            cond=cond,
            length=len(toks),
        ))
    return out


def pad_batch(windows: list[Window], max_steps: int) -> dict[str, np.ndarray]:
    """Stack windows into fixed-size arrays with a validity mask."""
    n = len(windows)
    tokens = np.zeros((n, max_steps), dtype=np.int64)
    chroma = np.zeros((n, max_steps, 12), dtype=np.float32)
    pos = np.zeros((n, max_steps), dtype=np.int64)
    mask = np.zeros((n, max_steps), dtype=bool)
    cond = np.stack([w.cond for w in windows]).astype(np.float32)
    for i, w in enumerate(windows):
        L = min(len(w.tokens), max_steps)
        tokens[i, :L] = w.tokens[:L]
        chroma[i, :L] = w.chroma[:L]
        pos[i, :L] = w.pos[:L]
        mask[i, : min(w.length, L)] = True
    return {"tokens": tokens, "chroma": chroma, "pos": pos, "mask": mask, "cond": cond}


def piano_roll(tokens: np.ndarray, tonic_pc: int, n_steps: int, low: int = 36, n_pitch: int = 60) -> np.ndarray:
    """(2, n_pitch, n_steps) sustain and onset rolls in absolute pitch, for the CNN judge."""
    roll = np.zeros((2, n_pitch, n_steps), dtype=np.float32)
    for p, o, d in tokens_to_notes(tokens[:n_steps]):
        a = p + tonic_pc
        while a < low:
            a += 12
        while a >= low + n_pitch:
            a -= 12
        roll[0, a - low, o: o + d] = 1.0
        roll[1, a - low, o] = 1.0
    return roll


def sounding_pitches(tokens: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(B, T) relative pitch sounding at each step (-1 = silence) and onset flags, batched."""
    tokens = np.asarray(tokens)
    B, T = tokens.shape
    cur = np.full(B, -1, dtype=np.int64)
    out = np.full((B, T), -1, dtype=np.int64)
    onset = tokens >= PITCH_OFFSET
    for t in range(T):
        tok = tokens[:, t]
        cur = np.where(tok >= PITCH_OFFSET, tok - PITCH_OFFSET + MIN_REL, np.where(tok == HOLD, cur, -1))
        out[:, t] = cur
    return out, onset


def rolls_from_tokens(tokens: np.ndarray, shift: np.ndarray, low: int = 36, n_pitch: int = 60) -> np.ndarray:
    """(B, 2, n_pitch, T) sustain/onset piano rolls; ``shift`` (B,) turns relative pitch absolute."""
    sound, onset = sounding_pitches(tokens)
    B, T = sound.shape
    absp = sound + np.asarray(shift).reshape(-1, 1)
    absp = np.where(absp < low, absp + 12 * np.ceil((low - absp) / 12), absp)
    absp = np.where(absp >= low + n_pitch, absp - 12 * np.ceil((absp - low - n_pitch + 1) / 12), absp)
    rows = (absp - low).astype(np.int64)
    roll = np.zeros((B, 2, n_pitch, T), dtype=np.float32)
    b_idx, t_idx = np.nonzero(sound >= 0)
    roll[b_idx, 0, rows[b_idx, t_idx], t_idx] = 1.0
    b_on, t_on = np.nonzero(onset & (sound >= 0))
    roll[b_on, 1, rows[b_on, t_on], t_on] = 1.0
    return roll
