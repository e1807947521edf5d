"""Pure edits of an existing score that keep everything not asked to change."""

from __future__ import annotations

from dataclasses import replace

from music.score import ChordEvent, Note, Score, Track
from music.theory import (
    chord_symbol,
    note_name_to_pc,
    remap_degree,
    spell_tonic,
    transpose_pitch,
    uses_flats,
)


def with_tempo(score: Score, tempo_bpm: float) -> Score:
    """Same notes (in beats) at a new tempo."""
    out = score.copy()
    out.tempo_bpm = tempo_bpm
    return out


def transpose(score: Score, semitones: int) -> Score:
    """Every pitched note shifts by exactly ``semitones``; drums stay; the key and chords follow."""
    out = score.copy()
    for t in out.tracks:
        if not t.is_drum:
            t.notes = [replace(n, pitch=n.pitch + semitones) for n in t.notes]
    tonic = (note_name_to_pc(score.key) + semitones) % 12
    out.key = spell_tonic(tonic, score.mode)
    flats = uses_flats(tonic, score.mode)
    out.chords = [_shift_chord(c, semitones, flats) for c in score.chords]
    return out


def _shift_chord(c: ChordEvent, semitones: int, flats: bool) -> ChordEvent:
    root = (c.root + semitones) % 12
    return replace(c, root=root, symbol=chord_symbol(root, c.quality, flats))


def fits_midi_range(score: Score, semitones: int) -> bool:
    return all(0 <= n.pitch + semitones <= 127 for t in score.tracks if not t.is_drum for n in t.notes)


def change_mode(score: Score, mode: str) -> Score:
    """Remap scale degrees to another mode on the same tonic; contours are kept."""
    out = score.copy()
    tonic = note_name_to_pc(score.key)
    for t in out.tracks:
        if not t.is_drum:
            t.notes = [replace(n, pitch=remap_degree(n.pitch, tonic, score.mode, mode)) for n in t.notes]
    out.chords = [_remap_chord(c, tonic, score.mode, mode) for c in score.chords]
    out.mode = mode
    out.key = spell_tonic(tonic, mode)
    return out


def _remap_chord(c: ChordEvent, tonic: int, src: str, dst: str) -> ChordEvent:
    from music.theory import CHORD_QUALITIES

    pcs = [(c.root + i) % 12 for i in CHORD_QUALITIES[c.quality]]
    new = [remap_degree(60 + pc, tonic, src, dst) % 12 for pc in pcs]
    root = new[0]
    intervals = tuple(sorted({(p - root) % 12 for p in new}))
    quality = next((q for q, iv in CHORD_QUALITIES.items() if tuple(sorted(i % 12 for i in iv)) == intervals),
                   c.quality)
    return replace(c, root=root, quality=quality, symbol=chord_symbol(root, quality, uses_flats(tonic, dst)))


def swap_program(score: Score, role: str, program: int, name: str) -> Score:
    """The same notes on a new General MIDI program, for every track with ``role``."""
    out = score.copy()
    for t in out.tracks:
        if t.role == role and not t.is_drum:
            t.program = program
            t.name = name
    return out


def remove_parts(score: Score, role: str) -> Score:
    out = score.copy()
    out.tracks = [t for t in out.tracks if t.role != role]
    return out


def add_track(score: Score, track: Track) -> Score:
    out = score.copy()
    out.tracks = [t for t in out.tracks if t.role != track.role or track.role not in ("drums",)] + [track]
    return out


def trim_bars(score: Score, bars: int) -> Score:
    """Keep the first ``bars`` bars; notes that cross the end are shortened."""
    out = score.copy()
    end = bars * score.beats_per_bar
    for t in out.tracks:
        t.notes = [replace(n, duration=min(n.duration, end - n.start)) for n in t.notes if n.start < end]
    out.chords = [replace(c, duration=min(c.duration, end - c.start)) for c in score.chords if c.start < end]
    out.sections = [s for s in score.sections if s.start_bar < bars]
    out.bars = bars
    return out


def transpose_notes(notes: list[Note], semitones: int) -> list[Note]:
    return [replace(n, pitch=transpose_pitch(n.pitch, semitones)) for n in notes]
