"""General MIDI drum grooves per style, with fills at section ends and a crash into each section.

Grooves are one bar of 4/4 on a sixteenth grid, written straight (swing comes
later, in ``music.mix_lib``); other meters get a groove built from the meter's
beat groups with the kit's own sounds (ride or hat, snare or side stick).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from music.gm import (
    CLAP,
    CLOSED_HAT,
    CRASH,
    HIGH_TOM,
    KICK,
    LOW_TOM,
    MID_TOM,
    OPEN_HAT,
    PEDAL_HAT,
    RIDE,
    SHAKER,
    SIDE_STICK,
    SNARE,
    TAMBOURINE,
)
from music.score import Note, Section

FLOOR_TOM = 41


@dataclass(frozen=True)
class Kit:
    """One groove: (in-bar position, velocity) lists per GM drum note, for a bar of 4/4."""

    name: str
    parts: dict[int, tuple[tuple[float, int], ...]]
    time_keeper: int  # the cymbal that keeps time (hat or ride) in other meters
    backbeat: int  # snare, side stick or clap
    fill: str = "toms"  # toms, snare, brush, none


def _grid(step: float, vel: int, accent: int = 0, bars: float = 4.0) -> tuple[tuple[float, int], ...]:
    n = int(round(bars / step))
    return tuple((i * step, vel + (accent if (i * step) % 1.0 == 0 else 0)) for i in range(n))


KITS: dict[str, Kit] = {
    "pop": Kit("pop", {KICK: ((0, 96), (2.0, 90), (2.5, 70)), SNARE: ((1, 92), (3, 94)),
                       CLOSED_HAT: _grid(0.5, 56, 12), TAMBOURINE: ((1, 50), (3, 50))}, CLOSED_HAT, SNARE),
    "rock": Kit("rock", {KICK: ((0, 104), (1.5, 84), (2.0, 100), (2.5, 90)), SNARE: ((1, 108), (3, 110)),
                         CLOSED_HAT: _grid(0.5, 70, 14)}, CLOSED_HAT, SNARE),
    "jazz": Kit("jazz", {RIDE: ((0, 86), (1, 94), (1.5, 70), (2, 86), (3, 94), (3.5, 70)),
                         PEDAL_HAT: ((1, 64), (3, 64)), KICK: ((0, 40), (1, 34), (2, 40), (3, 34)),
                         SNARE: ((1.5, 34), (3.5, 38))}, RIDE, SIDE_STICK, "brush"),
    "shuffle": Kit("shuffle", {KICK: ((0, 92), (2, 88), (2.5, 60)), SNARE: ((1, 90), (3, 92)),
                               CLOSED_HAT: _grid(0.5, 58, 14)}, CLOSED_HAT, SNARE),
    "march": Kit("march", {KICK: ((0, 96), (1, 80), (2, 92), (3, 80)),
                           SNARE: ((0, 90), (0.5, 60), (0.75, 58), (1, 84), (1.5, 62), (2, 88), (2.5, 60),
                                   (2.75, 58), (3, 84), (3.5, 70), (3.75, 72)),
                           CRASH: ()}, SNARE, SNARE, "snare"),
    "lofi": Kit("lofi", {KICK: ((0, 88), (1.75, 62), (2.5, 84)), SIDE_STICK: ((1, 70), (3, 74)),
                         SNARE: ((3, 50),), CLOSED_HAT: _grid(0.5, 46, 12)}, CLOSED_HAT, SIDE_STICK, "none"),
    "boom_bap": Kit("boom_bap", {KICK: ((0, 100), (1.75, 70), (2.5, 96)), SNARE: ((1, 100), (3, 104)),
                                 CLOSED_HAT: _grid(0.5, 58, 10), OPEN_HAT: ((3.5, 50),)}, CLOSED_HAT, SNARE, "snare"),
    "cinematic": Kit("cinematic", {FLOOR_TOM: ((0, 96), (1.5, 74), (2, 88)), LOW_TOM: ((3, 70), (3.5, 76)),
                                   KICK: ((0, 80),)}, FLOOR_TOM, LOW_TOM, "toms"),
    "bodhran": Kit("bodhran", {LOW_TOM: ((0, 80), (1.5, 74)), MID_TOM: ((0.5, 46), (1.0, 52), (2.0, 46), (2.5, 52))},
                   MID_TOM, LOW_TOM, "none"),
    "bossa": Kit("bossa", {KICK: ((0, 76), (1.5, 58), (2, 76), (3.5, 58)),
                           SIDE_STICK: ((0, 64), (0.75, 60), (1.5, 64), (2.5, 62), (3.25, 62)),
                           CLOSED_HAT: _grid(0.5, 40, 8), SHAKER: _grid(0.25, 30, 10)}, CLOSED_HAT, SIDE_STICK, "none"),
    "funk": Kit("funk", {KICK: ((0, 100), (0.75, 78), (2.5, 90), (3.25, 76)),
                         SNARE: ((1, 100), (3, 102), (1.75, 30), (2.25, 28), (3.75, 32)),
                         CLOSED_HAT: _grid(0.25, 44, 20)}, CLOSED_HAT, SNARE),
    "four_on_floor": Kit("four_on_floor", {KICK: ((0, 108), (1, 104), (2, 108), (3, 104)), CLAP: ((1, 90), (3, 92)),
                                           OPEN_HAT: ((0.5, 70), (1.5, 70), (2.5, 70), (3.5, 70)),
                                           CLOSED_HAT: _grid(0.25, 38, 6)}, CLOSED_HAT, CLAP, "snare"),
    "country": Kit("country", {KICK: ((0, 90), (2, 86)), SNARE: ((1, 80), (3, 84)), CLOSED_HAT: _grid(0.5, 54, 10)},
                   CLOSED_HAT, SNARE),
}


def groove_name(kit: str | None) -> str:
    return kit if kit in KITS else "pop"


def _bar_groove(kit: Kit, meter: tuple[int, int], bpb: float) -> list[tuple[int, float, int]]:
    """(drum, position, velocity) for one bar in any meter."""
    num, den = meter
    if (num, den) in ((4, 4), (2, 2)):
        return [(d, p, v) for d, hits in kit.parts.items() for p, v in hits]
    if (num, den) == (2, 4):
        return [(d, p, v) for d, hits in kit.parts.items() for p, v in hits if p < 2.0] or []
    out: list[tuple[int, float, int]] = []
    compound = den == 8 and num % 3 == 0
    step = 0.5
    for i in range(int(round(bpb / step))):
        out.append((kit.time_keeper, i * step, 54 + (12 if (i * step) % (1.5 if compound else 1.0) == 0 else 0)))
    if compound:
        groups = [1.5 * g for g in range(num // 3)]
    elif den == 8:
        groups, pos = [], 0.0
        for g in ([1.0] * ((num - 3) // 2) + [1.5] if num % 2 else [1.0] * (num // 2)):
            groups.append(pos)
            pos += g
    else:
        groups = [float(b) * 4.0 / den for b in range(num)]
    for k, g in enumerate(groups):
        if k == 0:
            out.append((KICK, g, 94))
        elif num == 3 and den == 4:
            out.append((kit.backbeat, g, 64))
        else:
            out.append((kit.backbeat if k % 2 == 1 else KICK, g, 84 if k % 2 == 1 else 80))
    return out


def fill(kit: Kit, bar_start: float, bpb: float, rng: random.Random, energy: float) -> list[Note]:
    """A fill over the last beat (two beats when loud) of a section."""
    if kit.fill == "none":
        return [Note(kit.backbeat, bar_start + bpb - 0.5, 0.2, 70), Note(kit.backbeat, bar_start + bpb - 0.25, 0.2, 80)]
    length = 2.0 if energy > 0.75 and bpb >= 4 else 1.0
    start = bar_start + bpb - length
    if kit.fill == "brush":
        return [Note(SNARE, start + k / 3, 0.2, 40 + 6 * k) for k in range(int(length * 3))]
    if kit.fill == "snare":
        return [Note(SNARE, start + k * 0.25, 0.2, 64 + 5 * k) for k in range(int(length * 4))]
    toms = [HIGH_TOM, HIGH_TOM, MID_TOM, MID_TOM, LOW_TOM, LOW_TOM, FLOOR_TOM, FLOOR_TOM]
    if rng.random() < 0.5:
        toms = [SNARE, SNARE] + toms[:6]
    n = int(length * 4)
    seq = toms[-n:] if n <= len(toms) else toms
    return [Note(seq[k], start + k * 0.25, 0.2, 72 + 4 * k) for k in range(len(seq))]


def drum_track(kit_name: str | None, meter: tuple[int, int], bpb: float, sections: list[Section],
               energy_of_bar, rng: random.Random) -> list[Note]:
    """The whole drum part: groove per bar, thinner in the intro, fills before new sections, crashes after."""
    kit = KITS[groove_name(kit_name)]
    groove = _bar_groove(kit, meter, bpb)
    out: list[Note] = []
    total_bars = sum(s.bars for s in sections)
    section_ends = {s.start_bar + s.bars - 1 for s in sections[:-1]}
    section_starts = {s.start_bar for s in sections}
    ending = sections[-1] if sections and sections[-1].name == "ending" else None
    for bar in range(total_bars):
        t0 = bar * bpb
        energy = energy_of_bar(bar)
        if bar == total_bars - 1:  # the final bar: one hit and the crash ring out
            out += [Note(KICK, t0, 0.5, 100), Note(CRASH, t0, bpb, 96)]
            continue
        in_intro = sections and sections[0].name == "intro" and bar < sections[0].bars - 1
        cut = bpb - (2.0 if energy > 0.75 and bpb >= 4 else 1.0) if bar in section_ends else bpb
        for drum, pos, vel in groove:
            if pos >= cut - 1e-6:
                continue
            if in_intro and drum not in (kit.time_keeper, PEDAL_HAT):
                continue
            if ending is not None and bar >= ending.start_bar and drum in (TAMBOURINE, SHAKER):
                continue
            out.append(Note(drum, t0 + pos, 0.2, max(1, min(127, int(vel * (0.75 + 0.35 * energy))))))
        if bar in section_ends:
            out += fill(kit, t0, bpb, rng, energy)
        if bar in section_starts and bar > 0 and kit.fill != "none":
            out.append(Note(CRASH, t0, 1.0, 92))
    has_intro = bool(sections) and sections[0].name == "intro"
    if total_bars > 1 and not has_intro and kit.name not in ("bodhran", "lofi"):
        out.append(Note(CRASH, 0.0, 1.0, 88))
    return out
