"""Accompaniment, bass and pad figures per style, as pure functions of the chords.

Every figure takes a ``FigureContext`` (meter, voice-led voicings, the key's scale,
a seeded rng, per-bar energy) and returns notes in quarter-note beats with straight
timing; swing and humanising come later (``music.mix_lib``). Names match the
``accompaniment``/``bass``/``pad`` fields of ``prompts/arrangement_styles.json``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from music.score import ChordEvent, Note
from music.theory import chord_pcs
from music.voicing_lib import bass_pitch

STRUM_GAP = 0.012  # beats between strings of a strum


@dataclass(frozen=True)
class FigureContext:
    chords: list[ChordEvent]
    voicings: list[list[int]]  # one per chord, voice-led
    meter: tuple[int, int]
    bpb: float
    scale: tuple[int, ...]  # pitch classes of the key's scale
    rng: random.Random
    energy: Callable[[int], float]  # bar index -> 0..1

    @property
    def compound(self) -> bool:
        num, den = self.meter
        return den == 8 and num % 3 == 0

    def pulses(self) -> list[float]:
        """Beat starts inside one bar: quarters, or dotted quarters in compound meters."""
        num, den = self.meter
        if self.compound:
            return [1.5 * i for i in range(num // 3)]
        if den == 8:  # 5/8, 7/8: groups of 2 and 3 eighths
            out, pos = [], 0.0
            groups = [1.0] * ((num - 3) // 2) + [1.5] if num % 2 else [1.0] * (num // 2)
            for g in groups:
                out.append(pos)
                pos += g
            return out
        step = 4.0 / den
        return [step * i for i in range(num)]


def _vel(base: int, ctx: FigureContext, bar: int, accent: bool = False) -> int:
    v = base * (0.7 + 0.45 * ctx.energy(bar)) + (8 if accent else 0)
    return int(max(20, min(120, v)))


def _spans(ctx: FigureContext):
    """(chord, voicing, bar index, start, end) per chord."""
    for c, v in zip(ctx.chords, ctx.voicings, strict=False):
        yield c, v, int(c.start // ctx.bpb + 1e-6), c.start, c.start + c.duration


def _hits(ctx: FigureContext, positions: list[float], start: float, end: float) -> list[float]:
    """Absolute onsets of the given in-bar positions that fall inside [start, end)."""
    out = []
    bar0 = int(start // ctx.bpb + 1e-6) * ctx.bpb
    t = bar0
    while t < end - 1e-6:
        out += [t + p for p in positions if start - 1e-6 <= t + p < end - 1e-6]
        t += ctx.bpb
    return out


def _chord_notes(pitches: list[int], t: float, dur: float, vel: int, strum: float = 0.0,
                 up: bool = False) -> list[Note]:
    order = list(reversed(pitches)) if up else list(pitches)
    return [Note(p, t + k * strum, max(0.1, dur - k * strum), vel - (3 * k if up else 0)) for k, p in enumerate(order)]


# --- accompaniment figures ------------------------------------------------------------------


def fig_block(ctx: FigureContext) -> list[Note]:
    """Block chords on every beat, the downbeat accented."""
    out = []
    for _c, v, bar, s, e in _spans(ctx):
        for t in _hits(ctx, ctx.pulses(), s, e):
            dur = min(e - t, 1.5 if ctx.compound else 1.0) * 0.92
            out += _chord_notes(v, t, dur, _vel(62, ctx, bar, accent=abs(t % ctx.bpb) < 1e-6))
    return out


def fig_chorale(ctx: FigureContext) -> list[Note]:
    """Held four-part chords (organ or choir), the bass doubling the root below."""
    out = []
    for c, v, bar, s, e in _spans(ctx):
        out += _chord_notes([bass_pitch(c.root, 36, 50)] + v, s, (e - s) * 0.97, _vel(60, ctx, bar))
    return out


def fig_pop_piano(ctx: FigureContext) -> list[Note]:
    """Syncopated pop piano: a low root with the chord on 1, pushes on the and-of-2 and and-of-4."""
    if ctx.meter != (4, 4):
        return fig_block(ctx)
    out = []
    for c, v, bar, s, e in _spans(ctx):
        for t in _hits(ctx, [0.0, 1.5, 2.5, 3.0], s, e):
            pos = t % ctx.bpb
            dur = {0.0: 1.4, 1.5: 0.9, 2.5: 0.45, 3.0: 0.9}.get(round(pos, 2), 0.5)
            notes = _chord_notes(v, t, min(dur, e - t), _vel(60 if pos else 68, ctx, bar))
            if pos == 0.0:
                notes.append(Note(bass_pitch(c.root, 36, 50), t, min(1.9, e - t), _vel(62, ctx, bar)))
            out += notes
    return out


def fig_power_strum(ctx: FigureContext) -> list[Note]:
    """Palm-muted eighth-note power chords, accents on the beats, open on the downbeat."""
    out = []
    step = 0.5
    for _c, v, bar, s, e in _spans(ctx):
        t = s
        while t < e - 1e-6:
            down = abs((t - s) % 1.0) < 1e-6
            first = abs(t % ctx.bpb) < 1e-6
            dur = 0.9 if first and ctx.energy(bar) > 0.8 else 0.32
            out += _chord_notes(v, t, min(dur, e - t), _vel(74 if down else 64, ctx, bar, first), STRUM_GAP)
            t += step
    return out


def _strum_pattern(ctx: FigureContext) -> list[tuple[float, bool]]:
    """(position, upstroke) per bar for an acoustic strum."""
    num, den = ctx.meter
    if ctx.compound:
        return [p for g in range(num // 3) for p in ((1.5 * g, False), (1.5 * g + 1.0, True))]
    if (num, den) == (3, 4):
        return [(0.0, False), (1.0, False), (1.5, True), (2.0, False), (2.5, True)]
    if (num, den) == (4, 4):
        return [(0.0, False), (1.0, False), (1.5, True), (2.5, True), (3.0, False), (3.5, True)]
    return [(p, False) for p in ctx.pulses()]


def fig_strum(ctx: FigureContext) -> list[Note]:
    """Acoustic guitar strumming: down-down-up-up-down-up, strings spread, upstrokes lighter."""
    out = []
    pattern = _strum_pattern(ctx)
    for c, v, bar, s, e in _spans(ctx):
        shape = [bass_pitch(c.root, 40, 52)] + v
        for t in _hits(ctx, [p for p, _ in pattern], s, e):
            up = dict(pattern).get(round(t % ctx.bpb, 3), False)
            strings = shape[1:] if up else shape
            out += _chord_notes(strings, t, min(0.95, e - t), _vel(56 if up else 66, ctx, bar), STRUM_GAP, up)
    return out


def fig_jig_strum(ctx: FigureContext) -> list[Note]:
    return fig_strum(ctx)


def fig_boom_chick(ctx: FigureContext) -> list[Note]:
    """Country guitar: bass note on 1 and 3 (root, then fifth), chord strum on 2 and 4."""
    out = []
    pulses = ctx.pulses()
    for c, v, bar, s, e in _spans(ctx):
        for t in _hits(ctx, pulses, s, e):
            k = pulses.index(min(pulses, key=lambda p: abs(p - t % ctx.bpb)))
            if k % 2 == 0:
                root = bass_pitch(c.root, 40, 52) + (7 if k % 4 == 2 else 0)
                out.append(Note(root, t, 0.8, _vel(70, ctx, bar)))
            else:
                out += _chord_notes(v, t, 0.45, _vel(60, ctx, bar), STRUM_GAP)
    return out


def fig_alberti(ctx: FigureContext) -> list[Note]:
    """Alberti bass: low-high-middle-high in eighths (root, fifth, third, fifth)."""
    out = []
    for c, v, bar, s, e in _spans(ctx):
        low = sorted(v)[:3]
        root = bass_pitch(c.root, 43, 55)
        tones = sorted({root, *[p for p in low if p > root]})[:3]
        while len(tones) < 3:
            tones.append(tones[-1] + 7)
        figure = [tones[0], tones[2], tones[1], tones[2]]
        t, k = s, 0
        while t < e - 1e-6:
            out.append(Note(figure[k % 4], t, 0.48, _vel(54 if k % 2 else 60, ctx, bar)))
            t += 0.5
            k += 1
    return out


def fig_waltz(ctx: FigureContext) -> list[Note]:
    """Waltz: a low root on 1, a light chord on 2 and 3; stride (root / chord) outside triple meter."""
    num, den = ctx.meter
    if (num, den) != (3, 4):
        return fig_oompah(ctx)
    out = []
    for c, v, bar, s, e in _spans(ctx):
        for t in _hits(ctx, [0.0, 1.0, 2.0], s, e):
            if abs(t % ctx.bpb) < 1e-6:
                out.append(Note(bass_pitch(c.root, 36, 50) + (7 if bar % 2 else 0), t, 0.95, _vel(70, ctx, bar)))
            else:
                out += _chord_notes(v, t, 0.6, _vel(54, ctx, bar))
    return out


def fig_oompah(ctx: FigureContext) -> list[Note]:
    """Stride / oom-pah: a bass note on the strong beats (root, then fifth), the chord in between."""
    out = []
    pulses = ctx.pulses()
    if len(pulses) <= 2:  # 2/4 and 6/8: bass on the beat, chord on the off-beat
        pulses = [p for q in pulses for p in (q, q + (0.75 if ctx.compound else 0.5))]
    for c, v, bar, s, e in _spans(ctx):
        hits = _hits(ctx, pulses, s, e)
        for k, t in enumerate(hits):
            if k % 2 == 0:
                root = bass_pitch(c.root, 36, 50) + (7 if k % 4 == 2 else 0)
                out.append(Note(root, t, 0.45, _vel(72, ctx, bar)))
            else:
                out += _chord_notes(v, t, 0.35, _vel(58, ctx, bar))
    return out


def fig_arpeggio_slow(ctx: FigureContext) -> list[Note]:
    """Broken chords rising and falling in eighths, each note held like a sustain pedal (ballad, lullaby)."""
    out = []
    for c, v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root, 40, 52)
        up = [root, *v[:3]]
        up.append(up[1] + 12)
        shape = up + up[-2:0:-1]
        t, k = s, 0
        while t < e - 1e-6:
            out.append(Note(shape[k % len(shape)], t, min(e - t, 1.5), _vel(50 if k else 58, ctx, bar)))
            t += 0.5
            k += 1
    return out


def fig_lofi_keys(ctx: FigureContext) -> list[Note]:
    """Lazy rolled chords: on 1 and pushed on the and-of-2, held, a little behind the beat."""
    out = []
    for _c, v, bar, s, e in _spans(ctx):
        for t in _hits(ctx, [0.0, 1.5] if ctx.bpb >= 4 else [0.0], s, e):
            out += _chord_notes(v, t + 0.03, min(e - t, 2.4) - 0.05, _vel(56, ctx, bar), 0.03)
    return out


def fig_comping(ctx: FigureContext) -> list[Note]:
    """Jazz comping: short rootless chords on Charleston and anticipated rhythms, chosen per bar."""
    rhythms = [[0.0, 1.5], [1.5, 3.0], [0.0, 2.5], [1.0, 2.5, 3.5], [0.5, 2.0]]
    out = []
    chosen = {}
    for _c, v, bar, s, e in _spans(ctx):
        rhythm = chosen.setdefault(bar, ctx.rng.choice(rhythms)) if ctx.bpb >= 4 else [0.0, 1.5]
        upper = v[1:] if len(v) >= 4 else v  # rootless: the bass has the root
        for t in _hits(ctx, rhythm, s, e):
            out += _chord_notes(upper, t, 0.5, _vel(66, ctx, bar))
    return out


def fig_shuffle_comp(ctx: FigureContext) -> list[Note]:
    """The blues guitar shuffle: root+fifth, root+sixth alternating on (swung) eighths."""
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root, 40, 52)
        t, k = s, 0
        while t < e - 1e-6:
            top = root + (7 if (k // 2) % 2 == 0 else 9)
            if (k // 4) % 2 == 1 and k % 4 == 3:
                top = root + 10
            out += [Note(root, t, 0.45, _vel(64, ctx, bar)), Note(top, t, 0.45, _vel(60, ctx, bar))]
            t += 0.5
            k += 1
    return out


def fig_pad_swell(ctx: FigureContext) -> list[Note]:
    """Ambient: long overlapping chords, voices entering one after another."""
    out = []
    for _c, v, bar, s, e in _spans(ctx):
        for k, p in enumerate(v):
            t = s + 0.04 * k
            out.append(Note(p, t, e - t, _vel(44, ctx, bar)))
    return out


def fig_ostinato(ctx: FigureContext) -> list[Note]:
    """Cinematic string ostinato: driving eighths on root, octave and fifth."""
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        r = bass_pitch(c.root, 45, 57)
        cell = [r, r + 12, r + 7, r + 12]
        t, k = s, 0
        while t < e - 1e-6:
            out.append(Note(cell[k % 4], t, 0.4, _vel(58 if k % 2 else 66, ctx, bar)))
            t += 0.5
            k += 1
    return out


def fig_guzheng(ctx: FigureContext) -> list[Note]:
    """Guzheng-like figuration: a quick pentatonic glissando up to a chord tone, then plucked broken chords."""
    out = []
    penta = [pc for pc in ctx.scale][:7]
    for c, v, bar, s, e in _spans(ctx):
        target = sorted(v)[-1]
        pcs = set(chord_pcs(c.root, c.quality)) | set(penta if len(penta) <= 5 else [])
        run = [p for p in range(target - 12, target) if p % 12 in (set(penta) if len(penta) <= 5 else pcs)][-5:]
        t = s
        if abs(s % ctx.bpb) < 1e-6 and ctx.energy(bar) > 0.4:
            for k, p in enumerate(run):
                out.append(Note(p, t + k * 0.08, 0.3, _vel(44 + 4 * k, ctx, bar)))
            t += 0.08 * len(run)
        out.append(Note(target, t, 1.2, _vel(62, ctx, bar)))
        root = bass_pitch(c.root, 43, 55)
        tones = [root, root + 7, root + 12, root + 7 + 12 if root + 19 < target else root + 7]
        k, u = 0, s + 1.0
        while u < e - 1e-6:
            out.append(Note(tones[k % len(tones)], u, 0.9, _vel(52, ctx, bar)))
            u += 0.5
            k += 1
    return out


def fig_bossa_comp(ctx: FigureContext) -> list[Note]:
    """Bossa nova guitar: the two-bar syncopated chord rhythm over the bass's 1 and 3."""
    if ctx.meter != (4, 4):
        return fig_comping(ctx)
    out = []
    for _c, v, bar, s, e in _spans(ctx):
        rhythm = [0.0, 1.5, 3.0] if bar % 2 == 0 else [1.0, 2.5]
        for t in _hits(ctx, rhythm, s, e):
            out += _chord_notes(v[-3:], t, 0.7, _vel(54, ctx, bar))
    return out


def fig_funk_stabs(ctx: FigureContext) -> list[Note]:
    """Funk guitar: sixteenth scratches (ghosted) with accented short chord stabs on a fixed cell."""
    cell = ctx.rng.choice([[0.0, 0.75, 1.5, 2.5, 3.25], [0.0, 1.0, 1.75, 2.5, 3.5], [0.5, 1.0, 2.25, 3.0, 3.75]])
    out = []
    for _c, v, bar, s, e in _spans(ctx):
        stabs = set(round(t, 3) for t in _hits(ctx, cell, s, e))
        t = s
        while t < e - 1e-6:
            if round(t, 3) in stabs:
                out += _chord_notes(v[-3:], t, 0.18, _vel(74, ctx, bar), 0.005)
            elif ctx.energy(bar) > 0.5:
                out += _chord_notes(v[-2:], t, 0.08, _vel(30, ctx, bar))
            t += 0.25
    return out


def fig_synth_pulse(ctx: FigureContext) -> list[Note]:
    """Dance synth: eighth-note chord pulses, ducked on the beat like a side-chained pad."""
    out = []
    for _c, v, bar, s, e in _spans(ctx):
        t = s
        while t < e - 1e-6:
            on_beat = abs((t - s) % 1.0) < 1e-6
            out += _chord_notes(v, t, 0.42, _vel(44 if on_beat else 70, ctx, bar))
            t += 0.5
    return out


ACCOMPANIMENT: dict[str, Callable[[FigureContext], list[Note]]] = {
    "block": fig_block, "chorale": fig_chorale, "pop_piano": fig_pop_piano, "power_strum": fig_power_strum,
    "strum": fig_strum, "jig_strum": fig_jig_strum, "boom_chick": fig_boom_chick, "alberti": fig_alberti,
    "waltz": fig_waltz, "oompah": fig_oompah, "arpeggio_slow": fig_arpeggio_slow, "lofi_keys": fig_lofi_keys,
    "comping": fig_comping, "shuffle_comp": fig_shuffle_comp, "pad_swell": fig_pad_swell, "ostinato": fig_ostinato,
    "guzheng": fig_guzheng, "bossa_comp": fig_bossa_comp, "funk_stabs": fig_funk_stabs, "synth_pulse": fig_synth_pulse,
}
