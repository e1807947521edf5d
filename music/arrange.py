"""Arrangement: the parts around a melody (accompaniment, bass, pad, counter-melody, drums).

This first version is rule-based with one accompaniment figure per meter family
and a basic groove; styles refine it. Every random choice is seeded.
"""

from __future__ import annotations

import random

from music.gm import CLOSED_HAT, CRASH, KICK, OPEN_HAT, SNARE
from music.harmony import chord_at
from music.score import ChordEvent, Note, Score, Section, Track, beats_per_bar, parse_time_signature
from music.spec import InstrumentSpec, MusicSpec
from music.theory import chord_pcs

# Programs that can play chords by themselves (keyboards, guitars, harps, mallets, zithers).
POLYPHONIC_PROGRAMS = frozenset(list(range(0, 16)) + list(range(16, 21)) + list(range(24, 32)) + [46, 104, 105, 106,
                                                                                                   107, 108])
ROLE_MIX = {  # volume (CC7), pan (CC10)
    "melody": (110, 64), "counter": (80, 84), "chords": (82, 44), "accompaniment": (82, 44),
    "bass": (96, 60), "pad": (64, 80), "drums": (90, 64),
}
RANGES = {"melody": (55, 88), "counter": (55, 81), "chords": (48, 72), "bass": (28, 52), "pad": (48, 76)}


def ensemble(spec: MusicSpec) -> list[InstrumentSpec]:
    """The parts to write: the spec's instruments, completed so a piece always has a melody."""
    parts = [i for i in spec.instruments if not i.is_drum]
    if not parts:
        parts = [InstrumentSpec.gm(0, "melody")]
    if not any(p.role == "melody" for p in parts):
        parts[0] = InstrumentSpec(parts[0].name, parts[0].program, "melody")
    has_harmony = any(p.role in ("chords", "accompaniment", "bass", "pad") for p in parts)
    lead = next(p for p in parts if p.role == "melody")
    if not has_harmony and lead.program in POLYPHONIC_PROGRAMS:
        parts.append(InstrumentSpec(f"{lead.name} (accompaniment)", lead.program, "chords"))
    if spec.drums:
        parts.append(InstrumentSpec.drums())
    return parts


def _fit(pitch: int, lo: int, hi: int) -> int:
    while pitch < lo:
        pitch += 12
    while pitch > hi:
        pitch -= 12
    return pitch


def _voicing(chord: ChordEvent, lo: int = 52) -> list[int]:
    """Close voicing of the chord above ``lo``."""
    pcs = chord_pcs(chord.root, chord.quality)
    out, p = [], lo
    for pc in pcs[:4]:
        while p % 12 != pc:
            p += 1
        out.append(p)
    return out


def accompaniment(spec: MusicSpec, chords: list[ChordEvent], rng: random.Random) -> list[Note]:
    """Waltz (bass + two chords) in triple meters, broken chords in compound, pulses otherwise."""
    num, den = spec.meter
    bpb = beats_per_bar(spec.meter)
    out: list[Note] = []
    for c in chords:
        voice = _voicing(c)
        root = _fit(c.root + 48, 40, 55)
        if num == 3 and den == 4:
            out.append(Note(root, c.start, 0.95, 70))
            for beat in (1.0, 2.0):
                out += [Note(p, c.start + beat, 0.9, 60) for p in voice]
        elif den == 8 and num % 3 == 0:
            step = 0.5
            figure = [root] + voice[1:] + voice[:1]
            for k in range(int(c.duration / step)):
                out.append(Note(figure[k % len(figure)], c.start + k * step, step * 0.95, 62))
        elif spec.arousal < -0.2:
            arp = voice + [voice[0] + 12, voice[1] + 12] if len(voice) >= 2 else voice
            step = 0.5
            for k in range(int(c.duration / step)):
                out.append(Note(arp[k % len(arp)], c.start + k * step, step * 1.8, 58))
        else:
            beats = int(round(bpb)) or 1
            for b in range(beats):
                vel = 68 if b == 0 else 58
                out += [Note(p, c.start + b, 0.9, vel) for p in voice]
    return [n for n in out if n.start < chords[-1].start + chords[-1].duration] if chords else out


def bassline(spec: MusicSpec, chords: list[ChordEvent]) -> list[Note]:
    bpb = beats_per_bar(spec.meter)
    out = []
    for c in chords:
        root = _fit(c.root + 36, 28, 47)
        if bpb >= 4:
            fifth = root + 7 if root + 7 <= 52 else root - 5
            out += [Note(root, c.start, bpb / 2 - 0.1, 84), Note(fifth, c.start + bpb / 2, bpb / 2 - 0.1, 76)]
        else:
            out.append(Note(root, c.start, c.duration - 0.1, 84))
    return out


def pad(chords: list[ChordEvent]) -> list[Note]:
    return [Note(p, c.start, c.duration, 52) for c in chords for p in _voicing(c, 55)]


def counter_melody(melody: list[Note], chords: list[ChordEvent], spec: MusicSpec) -> list[Note]:
    """Long chord tones under the melody, one per half bar, moving by the nearest tone."""
    bpb = beats_per_bar(spec.meter)
    out, prev = [], 64
    span = bpb / 2 if bpb >= 4 else bpb
    t = 0.0
    total = spec.bars * bpb
    while t < total:
        c = chord_at(chords, t)
        tones = chord_pcs(c.root, c.quality) if c else (0, 4, 7)
        cands = [p for p in range(55, 76) if p % 12 in tones]
        mel = [n.pitch for n in melody if t <= n.start < t + span]
        ceiling = min(mel) - 3 if mel else 76
        cands = [p for p in cands if p <= ceiling] or cands
        prev = min(cands, key=lambda p: abs(p - prev))
        out.append(Note(prev, t, span * 0.95, 62))
        t += span
    return out


def drums(spec: MusicSpec, rng: random.Random) -> list[Note]:
    """A plain groove per meter with a crash on bar 1 and a snare fill into the last bar."""
    bpb = beats_per_bar(spec.meter)
    num, den = spec.meter
    out: list[Note] = []
    for bar in range(spec.bars):
        t0 = bar * bpb
        if den == 8 and num % 3 == 0:
            for k in range(num):
                out.append(Note(CLOSED_HAT, t0 + k * 0.5, 0.25, 60 + (12 if k % 3 == 0 else 0)))
            for k in range(num // 3):
                out.append(Note(KICK if k % 2 == 0 else SNARE, t0 + k * 1.5, 0.25, 92))
        elif num == 3:
            out.append(Note(KICK, t0, 0.25, 92))
            out += [Note(SNARE, t0 + b, 0.25, 70) for b in (1.0, 2.0)]
            out += [Note(CLOSED_HAT, t0 + b * 0.5, 0.25, 55) for b in range(6)]
        else:
            for b in range(int(bpb * 2)):
                out.append(Note(CLOSED_HAT if b % 4 != 3 else OPEN_HAT, t0 + b * 0.5, 0.25, 56 + (8 if b % 2 == 0 else 0)))
            for b in range(int(bpb)):
                out.append(Note(KICK if b % 2 == 0 else SNARE, t0 + b, 0.25, 96 if b % 2 == 0 else 88))
        if bar == spec.bars - 2 and spec.bars > 2:
            out += [Note(SNARE, t0 + bpb - 1 + k * 0.25, 0.2, 70 + 6 * k) for k in range(4)]
    out.append(Note(CRASH, 0.0, 1.0, 96))
    return out


def humanise(notes: list[Note], rng: random.Random, spread: int = 6) -> list[Note]:
    return [Note(n.pitch, n.start, n.duration, max(1, min(127, n.velocity + rng.randint(-spread, spread))), n.lyric)
            for n in notes]


def arrange(spec: MusicSpec, chords: list[ChordEvent], melody: list[Note], seed: int) -> Score:
    """Build the full score: one track per part of ``ensemble(spec)``."""
    rng = random.Random(seed * 31 + 5)
    tracks = []
    for part in ensemble(spec):
        if part.is_drum:
            notes = drums(spec, rng)
            role = "drums"
        elif part.role == "melody":
            lo, hi = RANGES["melody"]
            shift = 0
            if melody:
                mean = sum(n.pitch for n in melody) / len(melody)
                if part.program in range(32, 40) or part.program in (42, 43, 57, 58, 70):  # bass-register leads
                    shift = -12
                elif mean > hi:
                    shift = -12
            notes = [Note(n.pitch + shift, n.start, n.duration, n.velocity, n.lyric) for n in melody]
            role = "melody"
        elif part.role == "bass":
            notes, role = bassline(spec, chords), "bass"
        elif part.role == "pad":
            notes, role = pad(chords), "pad"
        elif part.role == "counter":
            notes, role = counter_melody(melody, chords, spec), "counter"
        else:
            notes, role = accompaniment(spec, chords, rng), "chords"
        vol, pan = ROLE_MIX.get(role, (90, 64))
        tracks.append(Track(part.name, part.program, role, part.is_drum, humanise(notes, rng), vol, pan,
                            50 if spec.arousal < 0 else 35))
    num, den = parse_time_signature(spec.time_signature)
    sections = [Section("A", 0, spec.bars)]
    return Score(spec.tempo_bpm, spec.key, spec.mode, (num, den), spec.bars, tracks, sections, list(chords))
