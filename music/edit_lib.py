"""Pure edits of an existing score that keep everything not asked to change."""

from __future__ import annotations

import math
from dataclasses import replace

from music.harmony import chord_at
from music.range_lib import HARMONY_ROLES, fit_part, part_range, phrase_starts
from music.score import ChordEvent, Note, Score, Track
from music.spec import InstrumentSpec
from music.theory import (
    CHORD_QUALITIES,
    MODES,
    chord_pcs,
    chord_symbol,
    diatonic_parent,
    diatonic_triad,
    note_name_to_pc,
    pitch_in_mode,
    spell_tonic,
    uses_flats,
)


def with_tempo(score: Score, tempo_bpm: float) -> Score:
    """Same notes (in beats) at a new tempo."""
    out = score.copy()
    out.tempo_bpm = tempo_bpm
    return out


def transpose(score: Score, semitones: int) -> Score:
    """Every pitched note shifts by ``semitones``; drums stay; the key and chords follow.

    A phrase the shift would push out of its instrument's range moves back inside it
    by whole octaves ("down an octave" leaves a bass on its lowest string, not at G0).
    """
    out = score.copy()
    for t in out.tracks:
        if not t.is_drum:
            t.notes = [replace(n, pitch=n.pitch + semitones) for n in t.notes]
    out.tracks = [playable_track(t, out, whole_first=False) for t in out.tracks]
    tonic = (note_name_to_pc(score.key) + semitones) % 12
    out.key = spell_tonic(tonic, score.mode)
    flats = uses_flats(tonic, score.mode)
    out.chords = [_shift_chord(c, semitones, flats) for c in score.chords]
    return out


def playable_track(track: Track, score: Score, whole_first: bool = True) -> Track:
    """The track moved by octaves into its instrument's range, whole or phrase by phrase (``range_lib``)."""
    if track.is_drum:
        return track
    starts = phrase_starts(score.sections, score.beats_per_bar)
    return replace(track, notes=fit_part(track.notes, track.program, track.role, starts, whole_first))


def _shift_chord(c: ChordEvent, semitones: int, flats: bool) -> ChordEvent:
    root = (c.root + semitones) % 12
    return replace(c, root=root, symbol=chord_symbol(root, c.quality, flats))


def fits_midi_range(score: Score, semitones: int) -> bool:
    return all(0 <= n.pitch + semitones <= 127 for t in score.tracks if not t.is_drum for n in t.notes)


def change_mode(score: Score, mode: str) -> Score:
    """Every part moved to the new mode on the same tonic, degree by degree, whatever the old mode was.

    The third, sixth and seventh take the new mode's form from the notes actually
    played (a blues piece's A7 loses its C# in minor), contours are kept, the chord
    symbols are renamed by their new notes and the harmony parts play those chords.
    """
    out = score.copy()
    tonic = note_name_to_pc(score.key)
    out.chords = [_remap_chord(c, tonic, mode) for c in score.chords]
    for t in out.tracks:
        if t.is_drum:
            continue
        moved = [replace(n, pitch=pitch_in_mode(n.pitch, tonic, mode)) for n in t.notes]
        t.notes = _onto_chords(t.notes, moved, score.chords, out.chords) if t.role in HARMONY_ROLES else moved
    out.mode = mode
    out.key = spell_tonic(tonic, mode)
    return out


def _onto_chords(before: list[Note], after: list[Note], old: list[ChordEvent], new: list[ChordEvent]) -> list[Note]:
    """A harmony part's chord tones stay chord tones: one the renamed chord no longer holds moves to the
    nearest tone it does hold (passing notes keep their new-mode pitch)."""
    out = []
    for was, note in zip(before, after, strict=True):
        at = was.start + 0.07  # a humanised chord may sound a hair early
        old_chord, new_chord = chord_at(old, at), chord_at(new, at)
        tones = chord_pcs(new_chord.root, new_chord.quality) if new_chord else ()
        if old_chord and tones and was.pitch % 12 in chord_pcs(old_chord.root, old_chord.quality) \
                and note.pitch % 12 not in tones:
            note = replace(note, pitch=min((p for p in range(note.pitch - 6, note.pitch + 7) if p % 12 in tones),
                                           key=lambda p: (abs(p - note.pitch), p)))
        out.append(note)
    return out


def _remap_chord(c: ChordEvent, tonic: int, dst: str) -> ChordEvent:
    """The chord's notes moved to the new mode, named by the quality that fits them best.

    When no quality matches exactly (G add9 in G minor is G Bb D A), the richest
    quality whose notes all sound is used (G minor), preferring one with a third;
    a bare fifth falls back to the new mode's diatonic triad on that root.
    """
    pcs = [(c.root + i) % 12 for i in CHORD_QUALITIES[c.quality]]
    new = [pitch_in_mode(60 + pc, tonic, dst) % 12 for pc in pcs]
    root = new[0]
    have = {(p - root) % 12 for p in new}
    fitting = {q: pcs for q, iv in CHORD_QUALITIES.items() if (pcs := {i % 12 for i in iv}) <= have}
    quality = max(fitting, key=lambda q: (len(fitting[q]), bool({3, 4} & fitting[q])), default="5")
    scale = MODES[diatonic_parent(dst)]
    if quality == "5" and (root - tonic) % 12 in scale:
        root, quality = diatonic_triad(tonic, dst, scale.index((root - tonic) % 12) + 1)
        root %= 12
    return replace(c, root=root, quality=quality, symbol=chord_symbol(root, quality, uses_flats(tonic, dst)))


def add_track(score: Score, track: Track) -> Score:
    """Append a part, inside its instrument's range; a second drum kit replaces the first rather than doubling it."""
    out = score.copy()
    out.tracks = [t for t in out.tracks if not (track.is_drum and t.is_drum)] + [playable_track(track, score)]
    return out


def shift_role(score: Score, role: str, semitones: int) -> Score:
    """Move one part (e.g. the melody up an octave for "higher"); the other parts stay."""
    out = score.copy()
    for t in out.tracks:
        if t.role == role and not t.is_drum:
            t.notes = [replace(n, pitch=n.pitch + semitones) for n in t.notes]
    return out


def role_fits_range(score: Score, role: str, semitones: int) -> bool:
    """Whether shifting ``role`` keeps every note where its instrument can play it."""
    return all(part_range(t.program, t.role)[0] <= n.pitch + semitones <= part_range(t.program, t.role)[1]
               for t in score.tracks if t.role == role and not t.is_drum for n in t.notes)


def phrase_end_bar(current_bars: int, target_bars: int, phrase: int = 4) -> int:
    """The latest phrase end at or before ``target_bars`` (phrases of ``phrase`` bars), at least 1 bar.

    "Shorter" should end where a phrase ends, not in the middle of one.
    """
    target = max(1, min(target_bars, current_bars - 1))
    for size in (phrase, 2, 1):
        if target >= size:
            return target - target % size
    return 1


def trim_bars(score: Score, bars: int) -> Score:
    """Keep the first ``bars`` bars; notes that cross the end are shortened."""
    out = score.copy()
    end = bars * score.beats_per_bar
    for t in out.tracks:  # a note starting a hair before the cut would be a click: it goes
        t.notes = [replace(n, duration=min(n.duration, end - n.start)) for n in t.notes if n.start < end - 0.05]
    out.chords = [replace(c, duration=min(c.duration, end - c.start)) for c in score.chords if c.start < end]
    out.sections = [s for s in score.sections if s.start_bar < bars]
    out.bars = bars
    return out




# -- which part a request means ------------------------------------------------------------------------------
ROLES = ("melody", "chords", "accompaniment", "bass", "pad", "counter", "drums")
ROLE_ALIASES = {
    "drum": "drums", "percussion": "drums", "beat": "drums", "beats": "drums", "groove": "drums", "鼓": "drums",
    "架子鼓": "drums", "打击乐": "drums", "pads": "pad", "counter-melody": "counter", "counter_melody": "counter",
    "countermelody": "counter", "counter melody": "counter", "副旋律": "counter", "harmony": "chords",
    "accompaniment": "chords", "伴奏": "chords", "和弦": "chords", "bassline": "bass", "bass line": "bass",
    "低音": "bass", "贝斯": "bass", "铺底": "pad", "lead": "melody", "tune": "melody", "旋律": "melody",
    "主旋律": "melody",
}
STRINGS_PROGRAMS = frozenset(range(40, 52))
# Parts a person can add by name: (role, GM program, display name).
ADDABLE = {
    "drums": ("drums", 0, "Drum Kit"),
    "bass": ("bass", 33, "Electric Bass (finger)"),
    "pad": ("pad", 89, "Pad 2 (warm)"),
    "strings": ("pad", 48, "String Ensemble 1"),
    "string": ("pad", 48, "String Ensemble 1"),
    "弦乐": ("pad", 48, "String Ensemble 1"),
    "counter": ("counter", 71, "Clarinet"),
    "chords": ("chords", 0, "Acoustic Grand Piano"),
}


def canonical_part(what: str) -> str:
    """'counter-melody' -> 'counter', 'percussion' -> 'drums'; other words are returned lower-cased."""
    w = str(what).strip().lower()
    return ROLE_ALIASES.get(w, w)


def part_to_add(what: str | dict) -> tuple[str, int, str] | None:
    """(role, program, name) of the part "add ..." asks for, or None when it names nothing we can write.

    Accepts a role or alias ("drums", "counter-melody"), "strings", a General MIDI
    instrument name, or a dict with role/program/name from the parser.
    """
    from music.gm import GM_PROGRAMS

    if isinstance(what, dict):
        program = what.get("program")
        role = canonical_part(what.get("role") or "counter")
        if role == "drums" or what.get("is_drum"):
            return ADDABLE["drums"]
        if isinstance(program, int) and 0 <= program < 128:
            return (role if role in ROLES else "counter", program, str(what.get("name") or GM_PROGRAMS[program]))
        what = str(what.get("name") or role)
    w = canonical_part(what)
    if w in ADDABLE:
        return ADDABLE[w]
    if w in ROLES and w != "melody":
        return ADDABLE.get(w, ("chords", 0, "Acoustic Grand Piano"))
    for program, name in enumerate(GM_PROGRAMS):
        if w and (w == name.lower() or w in name.lower().split(" (")[0].split()):
            role = "chords" if program < 32 or program in (46, 104, 105, 106, 107) else "counter"
            return role, program, name
    return None


def track_matches(track: Track, what: str) -> bool:
    """Whether "the piano" / "drums" / "strings" / "melody" names this track."""
    w = canonical_part(what)
    if w == "drums":
        return track.is_drum
    if w in ("strings", "string", "弦乐"):
        return not track.is_drum and track.program in STRINGS_PROGRAMS
    if w in ROLES:
        return track.role == w or (w == "chords" and track.role == "accompaniment")
    return bool(w) and w in track.name.lower()


def remove_matching(score: Score, what: str) -> Score:
    out = score.copy()
    out.tracks = [t for t in out.tracks if not track_matches(t, what)]
    return out


def cc7_gain(volume: int, db: float) -> int:
    """The CC7 value ``db`` louder than ``volume`` (General MIDI: gain = 40 log10(CC7 / 127) dB)."""
    return int(round(min(127.0, max(1.0, volume * 10 ** (db / 40.0)))))


def change_volume(score: Score, what: str, db: float, program: int | None = None) -> tuple[Score, list[str]]:
    """Make the parts ``what`` names (or the one on ``program``) ``db`` louder, negative: quieter.

    When a part is already at full volume, the other parts come down instead, so the
    balance still moves by the amount asked. Returns the new score and the parts moved.
    """
    out = score.copy()
    if program is not None:
        hit = [t for t in out.tracks if not t.is_drum and t.program == program]
    else:
        hit = [t for t in out.tracks if track_matches(t, what)]
    if not hit:
        return out, []
    headroom = min(40.0 * math.log10(127.0 / max(1, t.volume)) for t in hit)
    lift = min(db, headroom) if db > 0 else db
    for t in hit:
        t.volume = cc7_gain(t.volume, lift)
    if db > lift:
        moved = {id(t) for t in hit}
        for t in out.tracks:
            if id(t) not in moved:
                t.volume = cc7_gain(t.volume, lift - db)
    return out, [t.name for t in hit]


def change_reverb(score: Score, delta: int) -> Score:
    """Every part's reverb send (CC91) moved by ``delta``: more or less room, the same notes."""
    out = score.copy()
    for t in out.tracks:
        t.reverb = max(0, min(127, t.reverb + delta))
    return out


def swap_matching(score: Score, what: str, program: int, name: str) -> Score:
    """The same line on a new program for every pitched track ``what`` names, moved by octaves when
    the new instrument cannot reach it (a cello tune given to a flute goes up an octave)."""
    out = score.copy()
    out.tracks = [playable_track(replace(t, program=program, name=name), out)
                  if not t.is_drum and track_matches(t, what) else t for t in out.tracks]
    return out


def instrument_matches(inst: InstrumentSpec, what: str) -> bool:
    """``track_matches`` for the spec's instrument list, so the spec follows the score."""
    w = canonical_part(what)
    if w == "drums":
        return inst.is_drum
    if w in ROLES:
        return inst.role == w
    if w in ("strings", "string", "弦乐"):
        return inst.program in STRINGS_PROGRAMS
    return bool(w) and w in inst.name.lower()


def nearest_shift(old_key: str, new_key: str) -> int:
    """Semitones from one tonic to another the short way round (-5..+6): "in E" from D is +2, not -10."""
    d = (note_name_to_pc(new_key) - note_name_to_pc(old_key)) % 12
    return d - 12 if d > 6 else d
