"""Voicings and voice leading: which octave each chord tone sits in, moving as little as possible.

Pure functions over pitch numbers. ``lead_voicings`` picks, chord by chord, the
voicing nearest the previous one, so inner voices move by step or common tone and
never leap more than an octave.
"""

from __future__ import annotations

from music.score import ChordEvent
from music.theory import CHORD_QUALITIES

MAX_VOICE_LEAP = 12


def chord_tones(chord: ChordEvent, limit: int = 4) -> list[int]:
    """Pitch classes to voice, most important first (root, third, seventh, fifth, extensions)."""
    ivs = CHORD_QUALITIES.get(chord.quality, (0, 4, 7))
    order = sorted(range(len(ivs)), key=lambda i: (0, 1, 3, 2, 4, 5)[i] if i < 6 else i)
    pcs = [(chord.root + ivs[i]) % 12 for i in order]
    out: list[int] = []
    for pc in pcs:
        if pc not in out:
            out.append(pc)
    return out[:limit]


def _stack(pcs: list[int], bottom: int) -> list[int]:
    """The pcs stacked upwards in the given order, starting at the first pc at or above ``bottom``."""
    out: list[int] = []
    p = bottom
    for pc in pcs:
        while p % 12 != pc:
            p += 1
        out.append(p)
        p += 1
    return out


def candidate_voicings(pcs: list[int], lo: int, hi: int) -> list[list[int]]:
    """Close-position voicings of every inversion inside [lo, hi], plus their drop-2 spreads."""
    base = sorted(pcs, key=lambda pc: (pc - pcs[0]) % 12)
    seen: set[tuple[int, ...]] = set()
    out: list[list[int]] = []
    for i in range(len(base)):
        rot = base[i:] + base[:i]
        for bottom in range(lo - 12, hi):
            if bottom % 12 != rot[0]:
                continue
            close = _stack(rot, bottom)
            shapes = [close]
            if len(close) >= 4:
                shapes.append(sorted(close[:-2] + [close[-2] - 12] + close[-1:]))
            for v in shapes:
                if lo <= v[0] and v[-1] <= hi and tuple(v) not in seen:
                    seen.add(tuple(v))
                    out.append(v)
    return out


def _cost(prev: list[int], new: list[int], centre: float) -> float:
    if len(prev) == len(new):
        moves = [abs(a - b) for a, b in zip(prev, new, strict=False)]
    else:
        moves = [min(abs(p - q) for q in new) for p in prev]
    leap_penalty = sum(50.0 for m in moves if m > MAX_VOICE_LEAP)
    drift = abs(sum(new) / len(new) - centre) * 0.3
    return sum(moves) + leap_penalty + drift


def power_voicing(chord: ChordEvent, lo: int, prev: list[int] | None = None) -> list[int]:
    """Root, fifth, octave: the guitar shape, placed nearest the previous one (parallel, like a hand sliding)."""
    roots = [p for p in range(lo - 5, lo + 12) if p % 12 == chord.root]
    target = prev[0] if prev else lo + 3
    p = min(roots, key=lambda r: abs(r - target))
    return [p, p + 7, p + 12]


def lead_voicings(chords: list[ChordEvent], lo: int = 52, hi: int = 74, voices: int = 4) -> list[list[int]]:
    """One voicing per chord, each the nearest (by total voice motion) to the one before."""
    out: list[list[int]] = []
    centre = (lo + hi) / 2
    prev: list[int] | None = None
    for c in chords:
        if c.quality == "5":
            v = power_voicing(c, lo, prev)
            out.append(v)
            prev = v
            continue
        pcs = chord_tones(c, voices)
        cands = candidate_voicings(pcs, lo, hi) or [_stack(pcs, lo)]
        if prev is None:
            v = min(cands, key=lambda x: abs(sum(x) / len(x) - centre))
        else:
            v = min(cands, key=lambda x: _cost(prev, x, centre))
        out.append(v)
        prev = v
    return out


def inner_voice_leaps(voicings: list[list[int]]) -> list[int]:
    """Largest move of any inner voice (not the top, not the bottom) between consecutive voicings."""
    leaps = []
    for a, b in zip(voicings, voicings[1:], strict=False):
        if len(a) == len(b) and len(a) >= 3:
            leaps.append(max(abs(x - y) for x, y in zip(a[1:-1], b[1:-1], strict=False)))
    return leaps


def bass_pitch(pc: int, lo: int = 31, hi: int = 50) -> int:
    """The chord root in the bass register."""
    p = lo
    while p % 12 != pc % 12:
        p += 1
    return p if p <= hi else p - 12
