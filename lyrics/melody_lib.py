"""Constraints on the generator's pitches for a sung line (pure).

The generator proposes pitches for the sung rhythm; these functions make them
singable: a voice-sized range without wild leaps, phrase ends on stable
degrees (1, 3, 5) that belong to the chord, Mandarin tones respected where a
leap would contradict them, repeated lines sung to the same tune, and no long
stretch of syllables on one pitch (vary_repeats).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from music.score import ChordEvent
from music.theory import MODES, chord_pcs, diatonic_parent

MAX_LEAP = 9  # a major sixth; larger leaps are folded by an octave
_TONE_SLACK = 2  # a step (up to a whole tone) against the tone is tolerated


def voice_range(register: float) -> tuple[int, int]:
    """A comfortable singing range (about a tenth), higher with ``register``."""
    centre = 67 + round((min(max(register, 0.0), 1.0) - 0.5) * 10)
    return centre - 7, centre + 7


def stable_pcs(tonic_pc: int, mode: str) -> tuple[int, ...]:
    """Pitch classes of scale degrees 1, 3 and 5 of the (seven-note parent) mode."""
    scale = MODES[diatonic_parent(mode)] if diatonic_parent(mode) in MODES else MODES["major"]
    return tuple((tonic_pc + scale[i]) % 12 for i in (0, 2, 4))


def _fold(p: int, lo: int, hi: int) -> int:
    while p < lo:
        p += 12
    while p > hi:
        p -= 12
    return p if p >= lo else p + 12 if p + 12 <= hi else p


def fit_range(pitches: Sequence[int], lo: int, hi: int, breaks: Sequence[int] = ()) -> list[int]:
    """Fold pitches into [lo, hi] by octaves, then fold leaps larger than MAX_LEAP.

    ``breaks`` are indices that start a new phrase, where a larger leap is fine.
    """
    out: list[int] = []
    starts = set(breaks)
    for i, p in enumerate(pitches):
        q = _fold(int(p), lo, hi)
        if out and i not in starts and abs(q - out[-1]) > MAX_LEAP:
            for alt in (q - 12, q + 12):
                if lo - 2 <= alt <= hi + 2 and abs(alt - out[-1]) < abs(q - out[-1]):
                    q = alt
        out.append(q)
    return out


def nearest_with_pc(target: int, pcs: Sequence[int], lo: int, hi: int) -> int:
    """The pitch in [lo, hi] nearest ``target`` whose pitch class is in ``pcs``."""
    cands = [p for p in range(lo, hi + 1) if p % 12 in pcs]
    if not cands:
        return target
    return min(cands, key=lambda p: (abs(p - target), p))


def chord_at(chords: Sequence[ChordEvent], beat: float) -> ChordEvent | None:
    """The chord sounding at ``beat`` (the last one after the end)."""
    for c in chords:
        if c.start <= beat < c.start + c.duration:
            return c
    return chords[-1] if chords else None


def cadence_pitch(prev: int, current: int, beat: float, chords: Sequence[ChordEvent], tonic_pc: int, mode: str,
                  lo: int, hi: int, final: bool) -> int:
    """The end of a phrase: the tonic at the very end, else a stable degree in the chord, near the line."""
    if final:
        pcs: Sequence[int] = (tonic_pc,)
    else:
        chord = chord_at(chords, beat)
        stable = stable_pcs(tonic_pc, mode)
        in_chord = [pc for pc in stable if chord and pc in chord_pcs(chord.root, chord.quality)]
        pcs = in_chord or stable
    near = (prev + current) / 2 if prev else current
    return nearest_with_pc(round(near), pcs, lo, hi)


def tone_ok(prev: int, pitch: int, tone: int | None) -> bool:
    """Whether the move into a syllable does not contradict its Mandarin tone.

    Falling (4) and low (3) tones do not leap up; rising (2) and high level (1)
    tones do not leap down. A step either way, and the neutral tone, are fine.
    """
    step = pitch - prev
    if tone in (3, 4):
        return step <= _TONE_SLACK
    if tone in (1, 2):
        return step >= -_TONE_SLACK
    return True


def tone_direction_agrees(prev: int, pitch: int, tone: int | None) -> bool:
    """Stricter contour agreement: 2 rises, 3 and 4 fall (or stay), 1 stays or rises."""
    step = pitch - prev
    if tone == 2:
        return step > 0
    if tone in (3, 4):
        return step <= 0
    if tone == 1:
        return step >= 0
    return True


def respect_tones(pitches: Sequence[int], tones: Sequence[int | None], scale_pcs: Sequence[int],
                  lo: int, hi: int, fixed: Sequence[bool], line_starts: Sequence[int]) -> list[int]:
    """Move syllables whose pitch contradicts their tone to the nearest scale pitch that agrees.

    ``fixed`` notes (cadences) are left alone: there the cadence is the musically sensible choice.
    """
    out = list(pitches)
    starts = set(line_starts)
    for i in range(1, len(out)):
        if i in starts or fixed[i] or tone_ok(out[i - 1], out[i], tones[i]):
            continue
        prev = out[i - 1]
        cands = [p for p in range(lo, hi + 1) if p % 12 in scale_pcs and tone_ok(prev, p, tones[i])
                 and abs(p - prev) <= MAX_LEAP]
        if i + 1 < len(out) and fixed[i + 1]:
            cands = [p for p in cands if tone_ok(p, out[i + 1], tones[i + 1])] or cands
        if cands:
            out[i] = min(cands, key=lambda p: (abs(p - out[i]), abs(p - prev)))
    return out


def follow_tone_contour(pitches: Sequence[int], tones: Sequence[int | None], scale_pcs: Sequence[int],
                        lo: int, hi: int, movable: Sequence[bool], line_starts: Sequence[int]) -> list[int]:
    """Nudge weak-beat syllables by at most a third so the melody moves the way the tone does.

    Only ``movable`` notes change (unaccented, not a cadence) and only when the
    move into the next syllable still respects that syllable's tone.
    """
    out = list(pitches)
    starts = set(line_starts)
    for i in range(1, len(out)):
        if i in starts or not movable[i] or tone_direction_agrees(out[i - 1], out[i], tones[i]):
            continue
        nxt_ok = (lambda p: True) if i + 1 >= len(out) or (i + 1) in starts else (
            lambda p, i=i: tone_ok(p, out[i + 1], tones[i + 1]))
        cands = [p for p in range(max(lo, out[i] - 4), min(hi, out[i] + 4) + 1)
                 if p % 12 in scale_pcs and tone_direction_agrees(out[i - 1], p, tones[i])
                 and tone_ok(out[i - 1], p, tones[i]) and nxt_ok(p)]
        if cands:
            out[i] = min(cands, key=lambda p: (abs(p - out[i]), p))
    return out


def tone_agreement(pitches: Sequence[int], tones: Sequence[int | None], line_of: Sequence[int],
                   strict: bool = False) -> tuple[int, int]:
    """(agreeing moves, moves) into tone-bearing syllables within a line."""
    ok = total = 0
    check = tone_direction_agrees if strict else tone_ok
    for i in range(1, len(pitches)):
        if tones[i] in (1, 2, 3, 4) and tones[i - 1] is not None and line_of[i] == line_of[i - 1]:
            total += 1
            ok += check(pitches[i - 1], pitches[i], tones[i])
    return ok, total


def soften_cadence_leaps(pitches: Sequence[int], starts: Sequence[int], ends: Sequence[int],
                         lo: int, hi: int) -> list[int]:
    """No leap wider than a sixth into a line's last note: move the cadence (or the note before it) an octave.

    The cadence is chosen by pitch class; an octave jump onto it on a held note
    sounds like a yelp, and the octave either way keeps the same harmony.
    """
    out = list(pitches)
    for start, end in zip(starts, ends, strict=False):
        if end <= start or abs(out[end] - out[end - 1]) <= MAX_LEAP:
            continue
        step = -12 if out[end] > out[end - 1] else 12
        if lo - 2 <= out[end] + step <= hi + 2:
            out[end] += step
        elif end - 1 > start and lo - 2 <= out[end - 1] - step <= hi + 2 \
                and abs(out[end - 1] - step - out[end - 2]) <= MAX_LEAP:
            out[end - 1] -= step
    return out


MAX_RUN = 3  # at most three syllables in a row on one pitch


def repeat_direction(tone: int | None, stress: int | None) -> int:
    """Which way a syllable sung on the previous pitch would rather move: +1 up, -1 down, 0 no wish.

    Rising (2) goes up, falling (4) and low (3) tones and the neutral tone go down; a stressed
    English syllable goes up. High level (1) and unstressed syllables are content to stay.
    """
    if tone == 2 or (tone is None and stress == 1):
        return 1
    if tone in (3, 4, 5):
        return -1
    return 0


def _step_choices(prev: int, direction: int, scale_pcs: Sequence[int], chord: Sequence[int], lo: int,
                  hi: int) -> list[int]:
    """Pitches a step or a third away from ``prev`` in ``direction``: chord tones first, then the scale step."""
    near = [prev + direction * k for k in range(1, 5) if lo <= prev + direction * k <= hi]
    in_chord = [p for p in near if p % 12 in chord]
    step = next(([p] for p in near if p % 12 in scale_pcs), [])
    return in_chord + [p for p in step if p not in in_chord]


def _fits_next(p: int, old: int, nxt: int | None, next_tone: int | None) -> bool:
    """The move on into the next syllable stays singable (no wider than a fifth, or than it was) and
    respects its tone, following the tone's direction if it did before."""
    if nxt is None:
        return True
    agreed = tone_direction_agrees(old, nxt, next_tone)
    return abs(nxt - p) <= max(7, abs(nxt - old)) and tone_ok(p, nxt, next_tone) and (
        not agreed or tone_direction_agrees(p, nxt, next_tone))


@dataclass(frozen=True)
class _Words:
    """What vary_repeats needs to know about each sung note besides its pitch."""

    tones: Sequence[int | None]
    scale: Sequence[int]
    chords: Sequence[Sequence[int]]  # pitch classes of the chord under each note
    accented: Sequence[bool]
    starts: frozenset[int]  # first notes of lines
    lo: int
    hi: int
    width: int  # the widest span the whole tune may have


def _moved(out: Sequence[int], i: int, direction: int, w: _Words) -> int | None:
    """A new pitch for note ``i`` a step from its predecessor in ``direction``, or None if none fits."""
    nxt = out[i + 1] if i + 1 < len(out) and i + 1 not in w.starts else None
    next_tone = w.tones[i + 1] if nxt is not None else None
    chord = w.chords[i] if w.accented[i] else ()
    low, high = min(out), max(out)
    for p in _step_choices(out[i - 1], direction, w.scale, chord, w.lo, w.hi):
        if max(high, p) - min(low, p) <= w.width and tone_ok(out[i - 1], p, w.tones[i]) \
                and _fits_next(p, out[i], nxt, next_tone):
            return p
    return None


def vary_repeats(pitches: Sequence[int], tones: Sequence[int | None], stresses: Sequence[int | None],
                 scale_pcs: Sequence[int], chord_pcs: Sequence[Sequence[int]], accented: Sequence[bool],
                 lo: int, hi: int, fixed: Sequence[bool], line_starts: Sequence[int]) -> list[int]:
    """Move a syllable off its predecessor's pitch where the words ask for motion, and never let more
    than MAX_RUN syllables in a row share a pitch.

    A Mandarin line set note by note tends to sit on one pitch (the generator repeats, and "stay" agrees
    with every tone); a rising tone then steps up, a falling one down, an English stress up. Moves are a
    step or a third (a chord tone on an accented syllable), within the slack fit_range allows around
    [lo, hi] and never widening the tune beyond the voice range (or its own span); they keep the next
    syllable's tone. Cadences (``fixed``) stay: the note before one moves instead.
    """
    out = list(pitches)
    if not out:
        return out
    w = _Words(tones, scale_pcs, chord_pcs, accented, frozenset(line_starts), lo - 2, hi + 2,
               max(hi - lo, max(out) - min(out)))
    run = 1
    for i in range(len(out)):
        if i == 0 or out[i] != out[i - 1]:
            run = 1
            continue
        must = run >= MAX_RUN  # counted across line ends too: the listener hears one run
        wish = 0 if i in w.starts else repeat_direction(tones[i], stresses[i])
        moves = [(t, d) for t in ((i, i - 1) if must else (i,)) if not fixed[t] and t > 0
                 for d in _directions(out, t, wish if t == i else 0, must, lo, hi)]
        done = next(((t, p) for t, d in moves if (p := _moved(out, t, d, w)) is not None), None)
        if done is None:
            run += 1
            continue
        out[done[0]] = done[1]
        run = 1
    return out


def _directions(out: Sequence[int], i: int, wish: int, must: bool, lo: int, hi: int) -> tuple[int, ...]:
    """The ways to try moving note ``i``: the words' wish, else (for a run that must break) towards the middle
    of the range, then the other way."""
    if not must:
        return (wish,) if wish else ()
    first = wish or (1 if out[i] <= (lo + hi) / 2 else -1)
    return first, -first
