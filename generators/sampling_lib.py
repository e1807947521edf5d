"""What a request allows at each step of sampling, and rule scores for reranking.

Pure numpy: a ``RequestContext`` turns a ``MusicSpec`` and its chords into
per-step model inputs (chord chroma, bar position, conditioning vector) and a
per-step vocabulary mask (scale or mode, range limits, chord tones on strong
beats, a cadence on the tonic in the last bar). The neural generator samples
under this mask; the rules also score finished candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from generators.melody_encoder_decoder import (
    BOS,
    HOLD,
    MAX_REL,
    MIN_REL,
    PITCH_OFFSET,
    REST,
    VOCAB,
    chords_to_chroma,
    positions,
    tokens_to_notes,
)
from generators.melody_lib import STEPS_PER_BEAT, key_scores, pc_histogram, steps_per_bar
from music.conditioning import STYLES, spec_to_conditioning
from music.score import ChordEvent
from music.spec import MusicSpec
from music.theory import MODES, note_name_to_pc

# Styles the corpus has examples of; a request for another style borrows the closest one.
STYLE_FALLBACK = {
    "pop": "folk", "rock": "celtic", "jazz": "folk", "blues": "folk", "classical": "chorale",
    "lofi": "lullaby", "ambient": "chorale", "cinematic": "chorale", "latin": "celtic", "funk": "celtic",
    "electronic": "celtic", "hiphop": "folk", "country": "folk",
}
PITCH_RELS = np.arange(MIN_REL, MAX_REL + 1)


@dataclass(frozen=True)
class RequestContext:
    """Everything sampling needs about a request, for ``n_steps`` steps from ``start_beat``."""

    tonic_pc: int
    mode: str
    steps_per_bar: int
    n_steps: int
    start_beat: float
    chroma: np.ndarray  # (T, 12) chord tones relative to the tonic
    pos: np.ndarray  # (T,)
    cond: np.ndarray  # (COND_DIM,)
    mask: np.ndarray  # (T, VOCAB) bool, True = allowed
    low: int  # relative pitch range
    high: int


def safe_tonic(spec: MusicSpec) -> int:
    try:
        return note_name_to_pc(spec.key)
    except (ValueError, AttributeError):
        return 0


def safe_steps_per_bar(spec: MusicSpec) -> int:
    try:
        spb = steps_per_bar(spec.time_signature)
    except (ValueError, ZeroDivisionError):
        spb = 16
    return spb if spb > 0 else 16


def request_cond(spec: MusicSpec, trained_styles: tuple[str, ...]) -> np.ndarray:
    """The spec's conditioning vector, with an unseen style mapped to a trained one."""
    style = spec.style if spec.style in trained_styles else STYLE_FALLBACK.get(spec.style, "folk")
    if style not in STYLES:
        style = "folk"
    try:
        vec = spec_to_conditioning(spec.with_(style=style))
    except (ValueError, KeyError):
        vec = spec_to_conditioning(MusicSpec(style=style))
    return np.asarray(vec, dtype=np.float32)


def strong_steps(pos: np.ndarray, spb: int) -> np.ndarray:
    """Downbeats, plus the middle of bars that split evenly in two (beat 3 of 4/4, beat 4 of 6/8)."""
    strong = pos == 0
    if spb >= 12 and spb % 2 == 0 and (spb // 2) % STEPS_PER_BEAT in (0, 2):
        strong |= pos == spb // 2
    return strong


def range_for(spec: MusicSpec, tonic_pc: int, shift: float = 0.0) -> tuple[int, int]:
    """Relative pitch range around the requested register (0 low .. 1 high), about an octave and a half."""
    reg = float(np.clip(getattr(spec, "register", 0.5), 0.0, 1.0))
    centre = 67 + 12 * (2 * reg - 1) + shift
    low, high = int(round(centre - 10)), int(round(centre + 10))
    return max(MIN_REL, low - tonic_pc), min(MAX_REL, high - tonic_pc)


def build_context(
    spec: MusicSpec, chords: list[ChordEvent], n_steps: int, start_beat: float = 0.0,
    trained_styles: tuple[str, ...] = STYLES, cadence: bool = True, register_shift: float = 0.0,
) -> RequestContext:
    tonic = safe_tonic(spec)
    mode = spec.mode if spec.mode in MODES else "major"
    spb = safe_steps_per_bar(spec)
    offset = int(round(start_beat * STEPS_PER_BEAT)) % spb
    chroma = chords_to_chroma(chords or [], tonic, n_steps, start_beat)
    pos = positions(n_steps, spb, offset)
    low, high = range_for(spec, tonic, register_shift)
    scale = np.zeros(12, dtype=bool)
    scale[list(MODES[mode])] = True
    if mode in ("minor", "aeolian"):
        scale[11] = True  # the raised leading tone of harmonic minor, as the corpus's minor tunes use it
    pitch_ok = scale[PITCH_RELS % 12] & (PITCH_RELS >= low) & (PITCH_RELS <= high)
    mask = np.zeros((n_steps, VOCAB), dtype=bool)
    mask[:, REST] = True
    mask[:, HOLD] = True
    mask[:, PITCH_OFFSET:] = pitch_ok
    strong = strong_steps(pos, spb)
    for t in np.nonzero(strong)[0]:
        tones = chroma[t] > 0
        ok = pitch_ok & tones[PITCH_RELS % 12]
        if ok.any():
            mask[t, PITCH_OFFSET:] = ok
    mask[0, HOLD] = False
    if cadence and n_steps >= spb:
        last = n_steps - spb  # final bar: tonic on the downbeat, held to the end
        tonic_ok = pitch_ok & (PITCH_RELS % 12 == 0)
        if tonic_ok.any() and pos[last] == 0:
            mask[last] = False
            mask[last, PITCH_OFFSET:] = tonic_ok
            mask[last + 1:] = False
            mask[last + 1:, HOLD] = True
    mask[:, BOS] = False
    return RequestContext(tonic, mode, spb, n_steps, start_beat, chroma, pos,
                          request_cond(spec, trained_styles), mask, low, high)


def rhythm_schedule(rhythm: list[tuple[float, float]], n_steps: int) -> tuple[np.ndarray, list[int]]:
    """Forced tokens for a fixed rhythm (-1 where a pitch is to be chosen, else HOLD / REST) and each slot's step."""
    steps = [(min(n_steps - 1, int(round(max(0.0, float(s)) * STEPS_PER_BEAT))),
              max(1, int(round(max(0.0, float(d)) * STEPS_PER_BEAT)))) for s, d in rhythm]
    first_dur: dict[int, int] = {}
    for s, d in steps:
        first_dur.setdefault(s, d)
    order = sorted(first_dur)
    forced = np.full(n_steps, REST, dtype=np.int64)
    for i, s in enumerate(order):
        forced[s] = -1
        nxt = order[i + 1] if i + 1 < len(order) else n_steps
        forced[s + 1: min(nxt, s + first_dur[s])] = HOLD
    return forced, [s for s, _ in steps]


def rule_score(tokens: np.ndarray, ctx: RequestContext) -> dict[str, float]:
    """Rule scores of one candidate: key clarity, chord tones on strong beats, motion, note count."""
    notes = tokens_to_notes(tokens)
    if len(notes) < 2:
        return {"key": -1.0, "chord": 0.0, "motion": -1.0, "total": -3.0}
    pitches = np.array([p + ctx.tonic_pc for p, _, _ in notes])
    durs = np.array([d for _, _, d in notes])
    ks = key_scores(pc_histogram(pitches, durs))
    want = ks[0 if ctx.mode in ("major", "ionian", "lydian", "mixolydian", "major_pentatonic") else 1,
              ctx.tonic_pc]
    others = ks.copy()
    others[0 if want == ks[0, ctx.tonic_pc] else 1, ctx.tonic_pc] = -9
    key = float(want - others.max())  # > 0 when the requested key wins the analysis
    strong = strong_steps(ctx.pos, ctx.steps_per_bar)
    hits = [ctx.chroma[o, p % 12] > 0 for p, o, _ in notes if o < ctx.n_steps and strong[o] and ctx.chroma[o].any()]
    chord = float(np.mean(hits)) if hits else 0.5
    steps = np.abs(np.diff(pitches))
    repeats = float(np.mean(steps == 0))
    leaps = float(np.mean(steps > 7))
    motion = -max(0.0, repeats - 0.35) - max(0.0, leaps - 0.15)
    total = 4.0 * min(key, 0.15) + 1.0 * chord + 2.0 * motion
    return {"key": key, "chord": chord, "motion": motion, "total": total}
