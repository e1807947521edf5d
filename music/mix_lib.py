"""Feel and mix: swing, humanised timing and velocity, section dynamics, and CC7/CC10/CC91 per part.

Pure functions over notes; all randomness comes from the caller's seeded rng,
so the same seed gives the same performance.
"""

from __future__ import annotations

import math
import random

from music.score import Note

MAX_TIMING_JITTER = 0.03  # beats: tasteful bounds, whatever a style asks for
MAX_VELOCITY_JITTER = 12


def swing_time(t: float, ratio: float) -> float:
    """Move the off-beat eighth of each beat to ``ratio`` of the beat (0.5 straight, 2/3 triplet shuffle).

    A piecewise-linear warp of each beat, so sixteenths and durations move with it.
    """
    if abs(ratio - 0.5) < 1e-6:
        return t
    beat = math.floor(t + 1e-9)
    frac = t - beat
    if frac < 0.5:
        return beat + frac * ratio / 0.5
    return beat + ratio + (frac - 0.5) * (1.0 - ratio) / 0.5


def swing_notes(notes: list[Note], ratio: float) -> list[Note]:
    if abs(ratio - 0.5) < 1e-6:
        return notes
    out = []
    for n in notes:
        start = swing_time(n.start, ratio)
        end = swing_time(n.end, ratio)
        out.append(Note(n.pitch, start, max(0.05, end - start), n.velocity, n.lyric))
    return out


def humanise(notes: list[Note], rng: random.Random, timing: float, velocity: int,
             keep_downbeats: bool = False) -> list[Note]:
    """Small random timing and velocity deviations, clipped to tasteful bounds; order and lyrics kept."""
    timing = min(abs(timing), MAX_TIMING_JITTER)
    velocity = min(abs(int(velocity)), MAX_VELOCITY_JITTER)
    out = []
    for n in notes:
        dt = max(-2 * timing, min(2 * timing, rng.gauss(0.0, timing))) if timing else 0.0
        if keep_downbeats and abs(n.start - round(n.start)) < 1e-6:
            dt = 0.0
        start = max(0.0, n.start + dt)
        vel = max(1, min(127, n.velocity + rng.randint(-velocity, velocity)))
        out.append(Note(n.pitch, start, max(0.05, n.duration - max(0.0, start - n.start)), vel, n.lyric))
    return out


def apply_dynamics(notes: list[Note], energy_of_beat, floor: float = 0.72) -> list[Note]:
    """Scale velocities by the section energy at each note (0..1 maps to floor..1.12)."""
    out = []
    for n in notes:
        gain = floor + (1.12 - floor) * energy_of_beat(n.start)
        out.append(Note(n.pitch, n.start, n.duration, max(1, min(127, int(round(n.velocity * gain)))), n.lyric))
    return out


def separate_repeats(notes: list[Note], gap: float = 0.03) -> list[Note]:
    """A note that runs into the next note of the same pitch ends ``gap`` beats before it.

    Humanised timing can start a repeated note a hair before the previous one ends; a synthesiser
    then takes the first note-off for the second note and the repeat is lost (a 1-tick note).
    """
    out = sorted(notes, key=lambda n: (n.start, n.pitch))
    next_start: dict[int, float] = {}
    for i in range(len(out) - 1, -1, -1):
        n = out[i]
        later = next_start.get(n.pitch)
        if later is not None and n.start + n.duration > later - gap and later > n.start:
            out[i] = Note(n.pitch, n.start, max(0.02, later - gap - n.start), n.velocity, n.lyric)
        next_start[n.pitch] = n.start
    return out


def clip_to(notes: list[Note], end: float) -> list[Note]:
    """Drop notes starting after the piece ends and shorten those ringing past it."""
    return [Note(n.pitch, n.start, min(n.duration, end - n.start), n.velocity, n.lyric)
            for n in notes if n.start < end - 1e-6]


def part_mix(role: str, index_in_role: int, style_mix: dict[str, tuple[int, int]], reverb: int,
             is_drum: bool) -> tuple[int, int, int]:
    """CC7 volume, CC10 pan and CC91 reverb for one part; parts sharing a role fan out left and right."""
    vol, pan = style_mix.get(role, style_mix.get("chords", (84, 64)))
    if index_in_role:
        side = 1 if index_in_role % 2 else -1
        pan = max(8, min(120, pan + side * 22 * ((index_in_role + 1) // 2)))
        vol = max(40, vol - 6)
    wet = reverb
    if role == "bass" or is_drum:
        wet = min(reverb, 30)
    if role == "melody":
        wet = min(127, reverb + 5)
    return int(vol), int(pan), int(max(0, min(127, wet)))
