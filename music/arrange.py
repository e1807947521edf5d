"""Arrangement: the parts around a melody, in the style's own patterns, form, feel and mix.

``ensemble`` decides the parts (the single place that does); ``arrange`` writes
them: voice-led accompaniment figures (``patterns_lib``), bass lines and pads
(``bass_lib``), drums with fills (``drums_lib``), then section dynamics, swing,
humanising and the CC7/CC10/CC91 mix (``mix_lib``). Every random choice comes
from one ``random.Random`` seeded by ``seed``.
"""

from __future__ import annotations

import random

from music.bass_lib import BASS, PADS, bass_root_fifth
from music.counter_lib import counter_melody
from music.drums_lib import drum_track
from music.form_lib import form_plan, section_at, section_energy
from music.mix_lib import apply_dynamics, clip_to, humanise, part_mix, swing_notes
from music.patterns_lib import ACCOMPANIMENT, FigureContext, fig_block
from music.range_lib import fit_part, part_range, phrase_starts, voice_into_range
from music.score import ChordEvent, Note, Score, Section, Track, beats_per_bar
from music.spec import InstrumentSpec, MusicSpec
from music.style_data import StyleArrangement, style_arrangement
from music.theory import MODES, diatonic_parent, note_name_to_pc, scale_pcs
from music.voicing_lib import bass_pitch, lead_voicings

# Programs that can play chords by themselves (keyboards, guitars, harps, mallets, zithers).
POLYPHONIC_PROGRAMS = frozenset(list(range(0, 16)) + list(range(16, 21)) + list(range(24, 32)) + [46, 104, 105, 106,
                                                                                                   107, 108])
HARMONY_ROLES = ("chords", "accompaniment", "bass", "pad")
SECTION_PROGRAMS = frozenset(range(48, 55)) | frozenset(range(88, 96))  # string sections, choirs, synth pads
SUSTAINED = frozenset({"pad_swell", "chorale"})
GUITAR_PROGRAMS = frozenset({24, 25})  # acoustic guitars; electric ones keep the style figure
GUITAR_FIGURES = frozenset({"strum", "jig_strum", "power_strum", "boom_chick", "bossa_comp", "funk_stabs",
                            "shuffle_comp"})  # figures a pad alone can stand in for
MELODY_CEILING = 88  # E6: a tune centred above it is written an octave lower
BASS_REGISTER_LEADS = frozenset(list(range(32, 40)) + [42, 43, 57, 58, 70])


def ensemble(spec: MusicSpec) -> list[InstrumentSpec]:
    """The parts to write: the spec's instruments, completed from the style when it names no accompaniment."""
    style = style_arrangement(spec.style)
    if spec.drums and spec.instruments and all(i.is_drum for i in spec.instruments):
        return [InstrumentSpec.drums()]  # "drums only": just the kit
    parts = _distinct([i for i in spec.instruments if not i.is_drum])
    defaults = [InstrumentSpec.gm(p, r) for p, r in style.ensemble if 0 <= p < 128]
    style_lead = next((d for d in defaults if d.role == "melody"), InstrumentSpec.gm(0, "melody"))
    band_for_bass = bool(parts) and spec.accompany and all(p.role == "bass" for p in parts)
    if not parts or band_for_bass:  # "a funk groove with slap bass": the style's lead takes the tune
        parts = [style_lead] + parts
    if not any(p.role == "melody" for p in parts):
        parts[0] = InstrumentSpec(parts[0].name, parts[0].program, "melody")
    lead = next(p for p in parts if p.role == "melody")
    if len(parts) == 1 and spec.instruments and lead.program in POLYPHONIC_PROGRAMS and (
            not spec.drums or not spec.accompany):
        # one keyboard, guitar, harp or zither named ("a piano waltz"): a solo piece, its own accompaniment
        parts.append(InstrumentSpec.gm(lead.program, "chords", f"{lead.name} (accompaniment)"))
    elif len(parts) == 1 and not spec.accompany and lead.program in SECTION_PROGRAMS:
        # "just strings", "a cappella": the section sustains its own harmony
        parts.append(InstrumentSpec.gm(lead.program, "pad", f"{lead.name} (harmony)"))
    if not spec.accompany:  # "solo violin", "only guitar and drums": nothing is added
        return parts + ([InstrumentSpec.drums()] if spec.drums else [])
    if band_for_bass or not any(p.role in HARMONY_ROLES for p in parts):
        fill = [d for d in defaults if d.role in HARMONY_ROLES + ("counter",) and not any(p.role == d.role for p in parts)]
        if not any(d.role in ("chords", "accompaniment") for d in fill) and style.accompaniment not in SUSTAINED:
            # the style's figure (waltz, Alberti, ...) needs a part to play it: the lead's instrument or a piano
            lead = next(p for p in parts if p.role == "melody")
            program = lead.program if lead.program in POLYPHONIC_PROGRAMS else 0
            fill.insert(0, InstrumentSpec.gm(program, "chords", f"{lead.name} (accompaniment)"
                                             if program == lead.program else None))
        parts += fill
    if spec.drums:
        parts.append(InstrumentSpec.drums())
    return parts


def _distinct(parts: list[InstrumentSpec]) -> list[InstrumentSpec]:
    """The parts without repeats: a second part with the same program and role would only double the first."""
    seen: set[tuple[int, str]] = set()
    out = []
    for p in parts:
        if (p.program, p.role) not in seen:
            seen.add((p.program, p.role))
            out.append(p)
    return out


def _tonic(spec: MusicSpec) -> int:
    try:
        return note_name_to_pc(spec.key)
    except ValueError:
        return 0


def _scale(spec: MusicSpec) -> tuple[int, ...]:
    mode = spec.mode if spec.mode in MODES else "major"
    return scale_pcs(_tonic(spec), diatonic_parent(mode) if mode not in ("major_pentatonic",) else mode)


def _final_bar(notes: list[Note], role: str, chord: ChordEvent | None, voicing: list[int], start: float,
               length: float, bass_floor: int | None = None) -> list[Note]:
    """The ending: the last bar becomes one held chord (or root) instead of the figure.

    With ``bass_floor`` (a keyboard or guitar with no bass part beside it) the chord gets its root
    below, so a piece never ends on a chord with its fifth or third in the bass.
    """
    kept = [n for n in notes if n.start < start - 1e-6]
    if chord is None:
        return kept
    if role == "bass":
        return kept + [Note(bass_pitch(chord.root), start, length, 80)]
    if role in ("chords", "accompaniment", "pad"):
        pitches = list(voicing)
        if bass_floor is not None and pitches:
            root = bass_pitch(chord.root, bass_floor, bass_floor + 11)
            while root >= min(pitches):
                root -= 12
            if root >= bass_floor:  # a low root the instrument can play, under the held chord
                pitches = [root] + pitches
        return kept + [Note(p, start + 0.02 * k, length - 0.02 * k, 64) for k, p in enumerate(pitches)]
    return kept


def _melody_notes(part: InstrumentSpec, melody: list[Note]) -> list[Note]:
    """The tune in its instrument's register: a cello or a bass plays it an octave down."""
    if not melody or any(n.lyric for n in melody):  # a sung line: the lyric setter has placed it for the voice
        return list(melody)
    mean = sum(n.pitch for n in melody) / len(melody)
    shift = -12 if part.program in BASS_REGISTER_LEADS or mean > MELODY_CEILING else 0
    return [Note(n.pitch + shift, n.start, n.duration, n.velocity, n.lyric) for n in melody]


def _playable(notes: list[Note], part: InstrumentSpec, role: str, starts: list[float]) -> list[Note]:
    """The part inside its instrument's range: lines move by whole octaves (the part, else each phrase);
    harmony is re-voiced there. A sung melody stays where the lyric setter put it."""
    if part.is_drum or (role == "melody" and any(n.lyric for n in notes)):
        return notes
    if role in ("chords", "pad"):
        return voice_into_range(notes, *part_range(part.program, role))
    return fit_part(notes, part.program, role, starts)


def _part_notes(part: InstrumentSpec, style: StyleArrangement, ctx: FigureContext, pad_ctx: FigureContext,
                spec: MusicSpec, melody: list[Note], chords: list[ChordEvent], sections: list[Section],
                rng: random.Random) -> list[Note]:
    role = part.role
    if part.is_drum:
        return drum_track(style.drum_kit or "pop", spec.meter, ctx.bpb, sections, ctx.energy, rng)
    if role == "melody":
        return _melody_notes(part, melody)
    if role == "bass":
        return BASS.get(style.bass, bass_root_fifth)(ctx)
    if role == "pad":
        return PADS.get(style.pad, PADS["sustain"])(pad_ctx)
    if role == "counter":
        notes = counter_melody(melody, chords, spec.bars * ctx.bpb, ctx.bpb, part.program)
        if spec.accompany and any(s.name in ("B", "chorus") for s in sections):
            # the second voice lifts the B sections: it rests in the intro and answers softly in the verses
            def placed(n: Note) -> Note | None:
                sec = section_at(sections, int(n.start // ctx.bpb))
                name = sec.name if sec is not None else ""
                return None if name == "intro" else Note(n.pitch, n.start, n.duration, n.velocity - (
                    12 if name in ("A", "verse") else 0))
            notes = [x for x in map(placed, notes) if x is not None]
        return notes
    figure = ACCOMPANIMENT.get(style.accompaniment, fig_block)
    if part.program not in POLYPHONIC_PROGRAMS and style.accompaniment in ("strum", "jig_strum", "power_strum"):
        figure = fig_block  # a bowed or blown part cannot strum: sustained chords instead
    elif part.program in GUITAR_PROGRAMS and style.accompaniment not in GUITAR_FIGURES:
        figure = ACCOMPANIMENT["strum"]  # a guitar strums where the style's figure is written for keys
    return figure(ctx)


def arrange(spec: MusicSpec, chords: list[ChordEvent], melody: list[Note], seed: int) -> Score:
    """Build the full score: one track per part of ``ensemble(spec)``, in the style's form and feel."""
    rng = random.Random(seed * 31 + 5)
    style = style_arrangement(spec.style)
    meter = spec.meter
    bpb = beats_per_bar(meter)
    total = spec.bars * bpb
    sections = form_plan(spec.bars, style.song or bool(spec.lyrics))
    energies = {i: section_energy(s.name, i, len(sections)) for i, s in enumerate(sections)}
    arousal_lift = 0.15 * max(-1.0, min(1.0, spec.arousal))

    def energy_of_bar(bar: int) -> float:
        for i, s in enumerate(sections):
            if s.start_bar <= bar < s.start_bar + s.bars:
                return max(0.0, min(1.0, energies[i] + arousal_lift))
        return 0.6

    chords = [c for c in chords if c.start < total - 1e-6] or chords
    scale = _scale(spec)
    ctx = FigureContext(chords, lead_voicings(chords, 52, 72), meter, bpb, scale, rng, energy_of_bar)
    pad_ctx = FigureContext(chords, lead_voicings(chords, 57, 79), meter, bpb, scale, rng, energy_of_bar)
    swing = style.swing if meter[1] == 4 else 0.5
    # the piece ends on its last chord, held from the last bar (or from that chord, when the last bar
    # has two: a chorale's IV-I must not collapse onto the IV)
    final_chord = chords[-1] if chords else None
    final_index = len(chords) - 1
    last_start = max((spec.bars - 1) * bpb, final_chord.start if final_chord else 0.0)
    tracks: list[Track] = []
    role_counts: dict[str, int] = {}
    parts = ensemble(spec)
    has_bass = any(p.role == "bass" and not p.is_drum for p in parts)
    starts = phrase_starts(sections, bpb)
    for part in parts:
        role = "drums" if part.is_drum else ("chords" if part.role == "accompaniment" else part.role)
        notes = _part_notes(part, style, ctx, pad_ctx, spec, melody, chords, sections, rng)
        if spec.bars >= 2 and role in ("bass", "chords", "pad"):
            voicing = (pad_ctx if role == "pad" else ctx).voicings[final_index] if final_index >= 0 else []
            floor = part_range(part.program, role)[0] if role == "chords" and not has_bass else None
            notes = _final_bar(notes, role, final_chord, voicing, last_start, total - last_start, floor)
        notes = _playable(notes, part, role, starts)
        # section dynamics; the melody follows them more gently so it always leads
        notes = apply_dynamics(notes, lambda t: energy_of_bar(int(t // bpb)), 0.86 if role == "melody" else 0.72)
        notes = swing_notes(notes, swing)
        timing, vel = style.humanise
        if role == "melody":
            timing, vel = timing * 0.5, min(vel, 5)
        notes = clip_to(sorted(humanise(notes, rng, timing, vel), key=lambda n: (n.start, n.pitch)), total)
        index = role_counts.get(role, 0)
        role_counts[role] = index + 1
        volume, pan, reverb = part_mix(role, index, style.mix, style.reverb, part.is_drum)
        tracks.append(Track(part.name, part.program, role, part.is_drum, notes, volume, pan, reverb))
    return Score(spec.tempo_bpm, spec.key, spec.mode, meter, spec.bars, tracks, sections, list(chords))
