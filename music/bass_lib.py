"""Bass lines and pads per style, as pure functions of the chords (see ``music.patterns_lib``)."""

from __future__ import annotations

from collections.abc import Callable

from music.patterns_lib import FigureContext, _hits, _spans, _vel
from music.score import Note
from music.theory import chord_pcs
from music.voicing_lib import bass_pitch


def _fifth(root: int) -> int:
    return root + 7 if root + 7 <= 52 else root - 5


def bass_root_fifth(ctx: FigureContext) -> list[Note]:
    """Root on the downbeat, fifth on the middle strong beat (or each group in compound time)."""
    out = []
    pulses = ctx.pulses()
    strong = [pulses[0]] + ([pulses[len(pulses) // 2]] if len(pulses) in (2, 4, 6) else [])
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root)
        hits = _hits(ctx, strong, s, e)
        for k, t in enumerate(hits):
            nxt = hits[k + 1] if k + 1 < len(hits) else e
            # a short gap before the next note, not a proportional one: the notation stays a clean value
            out.append(Note(root if k % 2 == 0 else _fifth(root), t, max(0.25, nxt - t - 0.06), _vel(80, ctx, bar)))
    return out


def bass_eighth_root(ctx: FigureContext) -> list[Note]:
    """Driving eighths on the root (pop, rock), an octave pop before the next chord."""
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root)
        t = s
        while t < e - 1e-6:
            last = e - t <= 0.5 + 1e-6
            pitch = root + 12 if last and ctx.energy(bar) > 0.7 else root
            out.append(Note(pitch, t, 0.42, _vel(82 if abs((t - s) % 1.0) < 1e-6 else 72, ctx, bar)))
            t += 0.5
    return out


def bass_sustain(ctx: FigureContext) -> list[Note]:
    return [Note(bass_pitch(c.root), s, (e - s) * 0.97, _vel(74, ctx, bar)) for c, _v, bar, s, e in _spans(ctx)]


def bass_drone(ctx: FigureContext) -> list[Note]:
    """Ambient: a low sustained root, re-struck only when the chord root changes."""
    out: list[Note] = []
    for c, _v, bar, s, e in _spans(ctx):
        p = bass_pitch(c.root, 28, 43)
        if out and out[-1].pitch == p:
            last = out[-1]
            out[-1] = Note(last.pitch, last.start, e - last.start, last.velocity)
        else:
            out.append(Note(p, s, e - s, _vel(60, ctx, bar)))
    return out


def bass_walking(ctx: FigureContext) -> list[Note]:
    """Walking bass: quarter notes, root on the downbeat, chord and scale tones, a chromatic approach to the next root."""
    out = []
    spans = list(_spans(ctx))
    for i, (c, _v, bar, s, e) in enumerate(spans):
        root = bass_pitch(c.root, 31, 46)
        tones = sorted({root + ((pc - c.root) % 12) for pc in chord_pcs(c.root, c.quality)})
        nxt_root = bass_pitch(spans[i + 1][0].root, 31, 46) if i + 1 < len(spans) else root
        beats = [t for t in _hits(ctx, [float(b) for b in range(int(ctx.bpb))], s, e)]
        for k, t in enumerate(beats):
            if k == 0:
                p = root
            elif k == len(beats) - 1:
                p = nxt_root + ctx.rng.choice((-1, 1))  # chromatic approach
            else:
                p = ctx.rng.choice(tones[1:] or tones)
                if ctx.rng.random() < 0.3:
                    p = min((q for q in range(p - 2, p + 3) if q % 12 in ctx.scale), key=lambda q: abs(q - p),
                            default=p)
            out.append(Note(p, t, 0.9, _vel(78 if k == 0 else 70, ctx, bar)))
    return out


def bass_boogie(ctx: FigureContext) -> list[Note]:
    """Blues boogie: root, third, fifth, sixth going up, flat seven, sixth, fifth, third coming down."""
    up, down = (0, 4, 7, 9), (10, 9, 7, 4)
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root, 28, 43)
        line = up if bar % 2 == 0 else down
        for k, t in enumerate(_hits(ctx, [float(b) for b in range(int(ctx.bpb))], s, e)):
            out.append(Note(root + line[k % 4], t, 0.92, _vel(78 if k == 0 else 70, ctx, bar)))
    return out


def bass_march(ctx: FigureContext) -> list[Note]:
    """Tuba: root and fifth alternating on the beats, short."""
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root)
        for k, t in enumerate(_hits(ctx, ctx.pulses(), s, e)):
            out.append(Note(root if k % 2 == 0 else _fifth(root), t, 0.5, _vel(80, ctx, bar)))
    return out


def bass_lofi(ctx: FigureContext) -> list[Note]:
    """Laid-back hip-hop bass: a long root on 1, a pickup an octave up on the and-of-3."""
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root, 28, 45)
        out.append(Note(root, s, min(e - s, 2.3), _vel(80, ctx, bar)))
        out += [Note(root + 12, t, 0.4, _vel(66, ctx, bar)) for t in _hits(ctx, [2.5], s, e)]
        out += [Note(_fifth(root), t, 0.8, _vel(70, ctx, bar)) for t in _hits(ctx, [3.0], s, e)]
    return out


def bass_bossa(ctx: FigureContext) -> list[Note]:
    """Bossa nova: root (dotted quarter), fifth on the and-of-2, fifth on 3, root on the and-of-4."""
    if ctx.meter != (4, 4):
        return bass_root_fifth(ctx)
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root)
        cell = {0.0: (root, 1.4), 1.5: (_fifth(root), 0.45), 2.0: (_fifth(root), 1.4), 3.5: (root, 0.45)}
        for t in _hits(ctx, list(cell), s, e):
            p, d = cell[round(t % ctx.bpb, 3)]
            out.append(Note(p, t, d, _vel(76, ctx, bar)))
    return out


def bass_funk(ctx: FigureContext) -> list[Note]:
    """Slap/funk bass: sixteenth syncopation on root, octave and flat seven, with ghost notes."""
    cell = ctx.rng.choice([[(0.0, 0), (0.75, 12), (1.5, 0), (2.25, 10), (2.5, 0), (3.5, 12)],
                           [(0.0, 0), (0.5, 0), (1.25, 12), (2.0, 7), (2.75, 10), (3.25, 12)]])
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root, 28, 43)
        offsets = dict(cell)
        for t in _hits(ctx, list(offsets), s, e):
            iv = offsets[round(t % ctx.bpb, 3)]
            out.append(Note(root + iv, t, 0.2, _vel(84 if iv == 0 else 74, ctx, bar)))
    return out


def bass_offbeat(ctx: FigureContext) -> list[Note]:
    """House bass: the root on every off-beat eighth, between the kicks."""
    out = []
    for c, _v, bar, s, e in _spans(ctx):
        root = bass_pitch(c.root, 28, 45)
        offs = [p + 0.5 for p in ctx.pulses()]
        out += [Note(root, t, 0.4, _vel(82, ctx, bar)) for t in _hits(ctx, offs, s, e)]
    return out


BASS: dict[str, Callable[[FigureContext], list[Note]]] = {
    "root_fifth": bass_root_fifth, "eighth_root": bass_eighth_root, "sustain": bass_sustain, "drone": bass_drone,
    "walking": bass_walking, "boogie": bass_boogie, "march": bass_march, "lofi": bass_lofi, "bossa": bass_bossa,
    "funk": bass_funk, "offbeat": bass_offbeat,
}


def pad_sustain(ctx: FigureContext) -> list[Note]:
    """Held chords an octave above the accompaniment's centre."""
    return [Note(p, s, e - s, _vel(48, ctx, bar)) for _c, v, bar, s, e in _spans(ctx) for p in v]


def pad_swell(ctx: FigureContext) -> list[Note]:
    """Strings that enter softly, louder in the busier sections."""
    return [Note(p, s + 0.03 * k, e - s - 0.03 * k, _vel(40 + int(20 * ctx.energy(bar)), ctx, bar))
            for _c, v, bar, s, e in _spans(ctx) for k, p in enumerate(v)]


PADS: dict[str, Callable[[FigureContext], list[Note]]] = {"sustain": pad_sustain, "swell": pad_swell}
