"""Reshape how a piece ends: "make the ending stronger" or "fade out at the end".

Pure functions of a Score. Only the ending (the form's ending section, else the
last two bars) changes; every note before it stays as it was, so the edit can be
heard as exactly what was asked.
"""

from __future__ import annotations

from dataclasses import replace

from music.gm import CRASH, HIGH_TOM, KICK, LOW_TOM, MID_TOM, RIDE, SNARE
from music.range_lib import part_range
from music.score import Note, Score, Track

ENDINGS = ("strong", "soft")
FLOOR_TOM = 41
_HELD_ROLES = ("chords", "accompaniment", "pad")
_BASS_FLOOR = 28  # E1: the lowest note a bass doubling may reach
_EARLY = 0.125  # beats: a humanised downbeat may come this much early and still belong to the bar


def ending_start(score: Score) -> float:
    """The beat where the ending begins: the form's ending section, else the last two bars."""
    bpb = score.beats_per_bar
    sec = score.sections[-1] if score.sections else None
    if sec is not None and sec.name == "ending" and 1 <= sec.bars <= 4:
        return sec.start_bar * bpb
    return max(0, score.bars - 2) * bpb


def _ramp(velocity: int, x: float, how: str) -> int:
    """Velocity at fraction ``x`` (0..1) through the ending: a crescendo or a diminuendo."""
    if how == "strong":
        return max(1, min(127, round(velocity * (1 + 0.25 * x) + 10 * x)))
    return max(12, min(127, round(velocity * (1 - 0.6 * x))))


def _shaped(notes: list[Note], start: float, last_bar: float, how: str) -> list[Note]:
    """The ramp runs from the ending's first beat to the final downbeat and holds through the last bar."""
    span = last_bar - start
    return [n if n.start < start - 1e-6 else
            replace(n, velocity=_ramp(n.velocity, min(1.0, (n.start - start) / span) if span > 0 else 1.0, how))
            for n in notes]


def _strong_pitched(track: Track, last_bar: float, end: float) -> list[Note]:
    """The final chord gets weight: the bass and the chord's lowest note doubled an octave down."""
    notes = list(track.notes)
    final = [n for n in notes if n.start >= last_bar - _EARLY]
    if not final:
        return notes
    if track.role == "melody":  # the last melody note rings to the end
        last = max(final, key=lambda n: n.start)
        notes[notes.index(last)] = replace(last, duration=max(last.duration, end - last.start))
        return notes
    floor = max(_BASS_FLOOR, part_range(track.program, track.role)[0])  # chords also stay above C2
    if track.role == "bass" or track.role in _HELD_ROLES:
        low = min(final, key=lambda n: (n.start, n.pitch))
        have = {(n.pitch, round(n.start, 3)) for n in notes}
        if low.pitch - 12 >= floor and (low.pitch - 12, round(low.start, 3)) not in have:
            notes.append(replace(low, pitch=low.pitch - 12, lyric=None))
    return notes


def _strong_drums(notes: list[Note], bpb: float, last_bar: float, end: float) -> list[Note]:
    """A tom fill into the last bar, then kick and crash together on its downbeat."""
    fill_len = 2.0 if bpb >= 4 else 1.0
    fill_start = last_bar - fill_len
    kept = [n for n in notes if not (fill_start - _EARLY <= n.start < last_bar - _EARLY) or n.pitch == KICK]
    kept = [n for n in kept if not (n.start >= last_bar - _EARLY and n.pitch in (KICK, CRASH, SNARE))]
    if fill_start >= 0:
        toms = [SNARE, SNARE, HIGH_TOM, HIGH_TOM, MID_TOM, MID_TOM, LOW_TOM, FLOOR_TOM][-int(fill_len * 4):]
        kept += [Note(p, fill_start + 0.25 * k, 0.2, min(127, 84 + 5 * k)) for k, p in enumerate(toms)]
    kept += [Note(KICK, last_bar, 0.5, 120), Note(SNARE, last_bar, 0.3, 110), Note(CRASH, last_bar, end - last_bar, 124)]
    return sorted(kept, key=lambda n: (n.start, n.pitch))


def _soft_drums(notes: list[Note], start: float, last_bar: float, end: float) -> list[Note]:
    """The kit drops out of the last bar but for one quiet ride, so the piece fades rather than stops;
    fills inside the ending go too, and every bar before it keeps its drums."""
    toms = (HIGH_TOM, MID_TOM, LOW_TOM, FLOOR_TOM)
    kept = [n for n in notes if n.start < last_bar - _EARLY and not (n.start >= start - 1e-6 and n.pitch in toms)]
    return kept + [Note(RIDE, last_bar, end - last_bar, 30)]


def shape_ending(score: Score, how: str) -> Score:
    """A copy of ``score`` with a stronger ("strong") or fading ("soft") ending."""
    if how not in ENDINGS:
        raise ValueError(f"unknown ending {how!r}; expected one of {ENDINGS}")
    out = score.copy()
    bpb, end = out.beats_per_bar, out.total_beats
    start, last_bar = ending_start(out), max(0.0, end - bpb)
    for t in out.tracks:
        if t.is_drum:
            t.notes = (_strong_drums(t.notes, bpb, last_bar, end) if how == "strong"
                       else _soft_drums(t.notes, start, last_bar, end))
        elif how == "strong":
            t.notes = _strong_pitched(t, last_bar, end)
        t.notes = _shaped(t.notes, start, last_bar, how)
    return out
