"""Playing-style edits that keep the notes' shape: softer or harder playing, a crescendo, a simpler part.

"Softer overall" asks for gentler playing, not a quieter file (the audio is loudness-normalised), so
velocities move; "make the drums less busy" thins that part to its strong beats instead of touching
the melody.
"""

from __future__ import annotations

from dataclasses import replace

from music.score import Note, Score, Track

CRASHES = frozenset({49, 52, 55, 57})  # cymbals that mark a section stay when a kit is thinned


def _scaled(n: Note, factor: float) -> Note:
    return replace(n, velocity=int(max(1, min(127, round(n.velocity * factor)))))


def scale_dynamics(score: Score, factor: float) -> Score:
    """Every note played ``factor`` times as hard (0.8: softer, 1.2: harder)."""
    out = score.copy()
    for t in out.tracks:
        t.notes = [_scaled(n, factor) for n in t.notes]
    return out


def crescendo(score: Score, start: float = 0.7, end: float = 1.12) -> Score:
    """The whole piece builds: velocities ramp from ``start`` to ``end`` times what they were."""
    out = score.copy()
    total = max(score.total_beats, 1e-6)
    for t in out.tracks:
        t.notes = [_scaled(n, start + (end - start) * min(1.0, n.start / total)) for n in t.notes]
    return out


def _strong(beat_in_bar: float, bpb: float, numerator: int) -> bool:
    """The downbeat, and the middle of a bar of 4/4, 6/8 or 12/8."""
    marks = [0.0] + ([bpb / 2] if numerator in (4, 6, 12) else [])
    return any(abs(beat_in_bar - m) < 0.08 for m in marks)


def thinned(track: Track, bpb: float, numerator: int = 4) -> Track:
    """A sparser part: drums keep the hits on the beat (and the crashes), pitched parts keep the chords on
    strong beats and hold them until the next one."""
    if track.is_drum:
        keep = [n for n in track.notes if n.pitch in CRASHES or abs(n.start - round(n.start)) < 0.06]
        return replace(track, notes=keep)
    onsets = sorted({round(n.start, 3) for n in track.notes if _strong(n.start % bpb, bpb, numerator)})
    if not onsets:
        return track
    keep: list[Note] = []
    for n in track.notes:
        at = round(n.start, 3)
        if at not in onsets:
            continue
        later = [o for o in onsets if o > at + 1e-6]
        hold = (later[0] - at - 0.05) if later else n.duration
        keep.append(replace(n, duration=max(n.duration, min(hold, bpb))))
    return replace(track, notes=keep)


def simplify_part(score: Score, matches) -> tuple[Score, list[str]]:
    """Every part ``matches(track)`` selects, thinned; returns the new score and the names of those parts."""
    out = score.copy()
    names = []
    for i, t in enumerate(out.tracks):
        if matches(t):
            out.tracks[i] = thinned(t, score.beats_per_bar, score.time_signature[0])
            names.append(t.name)
    return out, names
