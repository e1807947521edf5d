"""MusicXML from our own score model (music21 drops lyrics when it reads MIDI).

Pitched parts (a drum-only piece gets its kit on a percussion staff): notes are quantised to a sixteenth grid for notation and
written at the value a player reads, not the slightly shorter length played (the
MIDI keeps the humanised timing and articulation), simultaneous notes become
chords and the melody carries the lyric syllables.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from music21 import chord, clef, key, layout, metadata, meter, note, percussion, pitch, stream, tempo
from music21 import instrument as m21instrument

from music.score import Note, Score, Track
from music.theory import key_spelling, name_octave, note_name_to_pc, pc_to_name, uses_flats

GRID = 0.25  # quarter-note beats; a sixteenth
ARTICULATION_GAP = 0.15  # a note shortened by up to this share of its value is written at full value
PLAIN_VALUES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)  # sixteenth .. dotted whole, in beats
_M21_MODES = {"major", "minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian", "ionian", "aeolian"}


def _quantise(x: float) -> float:
    return round(x / GRID) * GRID


def written_length(played: float, room: float) -> float:
    """The value a player reads for a note sounding ``played`` beats with ``room`` beats before the next onset.

    Notes are performed a little short (about 92 %) for articulation; written that
    way they become double-dotted notes and sixteenth rests. A gap under a sixteenth,
    or under 15 % of the span, belongs to the note; a note before a real rest rounds
    up to the plain value it was shortened from.
    """
    room = max(GRID, room)
    if room - played < GRID - 1e-6 or room - played <= ARTICULATION_GAP * room:
        return room
    plain = next((v for v in PLAIN_VALUES if v >= played - 1e-6 and v - played <= ARTICULATION_GAP * v), None)
    return max(GRID, min(plain or _quantise(played), room))


def _spelled(midi: int, flats: bool, spelling: dict[int, str] | None = None) -> pitch.Pitch:
    """A pitch spelled for the key (Bb and C# in D minor, F# in G major).

    Spelling ourselves also spares music21's enharmonic search, which made chord
    construction the slowest step of a turn.
    """
    name = (spelling or {}).get(midi % 12) or pc_to_name(midi % 12, flats)
    octave = name_octave(name, midi)
    return pitch.Pitch(f"{name[0]}{name[1:].replace('b', '-')}{octave}")


# Score abbreviations players know; other names are shortened word by word (``short_name``).
_SHORT = {"Acoustic Grand Piano": "Pno.", "Bright Acoustic Piano": "Pno.", "Honky-tonk Piano": "Pno.",
          "Electric Piano 1": "E. Pno.", "Electric Piano 2": "E. Pno.", "Harpsichord": "Hpschd.", "Celesta": "Cel.",
          "Glockenspiel": "Glock.", "Vibraphone": "Vib.", "Marimba": "Mar.", "Xylophone": "Xyl.",
          "Tubular Bells": "Bells", "Kalimba": "Kal.", "Shakuhachi": "Shaku.", "Church Organ": "Org.",
          "Drawbar Organ": "Org.", "Rock Organ": "Org.",
          "Violin": "Vln.", "Viola": "Vla.", "Cello": "Vc.", "Contrabass": "Cb.", "Orchestral Harp": "Hp.",
          "Timpani": "Timp.", "Trumpet": "Tpt.", "Muted Trumpet": "Mut. Tpt.", "Trombone": "Tbn.", "Tuba": "Tba.",
          "French Horn": "Hn.", "Oboe": "Ob.", "English Horn": "E. H.", "Bassoon": "Bsn.", "Clarinet": "Cl.",
          "Piccolo": "Picc.", "Flute": "Fl.", "Soprano Sax": "S. Sax", "Alto Sax": "A. Sax", "Tenor Sax": "T. Sax",
          "Baritone Sax": "Bar. Sax", "Drum Kit": "Dr.", "Choir Aahs": "Ch.", "Voice Oohs": "Vo."}
_SHORT_WORD = {"acoustic": "Ac.", "electric": "El.", "guitar": "Gtr.", "piano": "Pno.", "synth": "Syn.",
               "strings": "Str.", "string": "Str.", "ensemble": "", "organ": "Org.", "overdriven": "Od.",
               "distortion": "Dist.", "section": ""}
_ROLE_SUFFIX = {"accompaniment": "acc.", "harmony": "harm."}  # the copy a solo instrument accompanies itself with
_SYNTH_FAMILIES = ("Lead", "Pad", "FX")  # "Lead 2 (sawtooth)": the bracket names the sound
_SOUND = {"sawtooth": "Saw", "polysynth": "Poly", "atmosphere": "Atmos.", "brightness": "Bright",
          "soundtrack": "Soundtr.", "new": "New Age"}


def short_name(name: str) -> str:
    """The part's name on later systems: "Vln." for Violin, "Saw Lead" for Lead 2 (sawtooth), "Syn. Bass"
    for Synth Bass 1 (music21's guesses from the program read "Samp" and "Elec b" for these)."""
    base = name.split(" (")[0]
    details = re.findall(r"\(([^)]*)\)", name)
    role = next((_ROLE_SUFFIX[d] for d in details if d in _ROLE_SUFFIX), "")
    sound = next((d for d in details if d not in _ROLE_SUFFIX), "")
    family = base.split(" ")[0]
    if base in _SHORT:
        head = _SHORT[base]
    elif family in _SYNTH_FAMILIES and sound:
        word = sound.split()[0]
        head = f"{_SOUND.get(word, word.capitalize())} {family}"
    else:
        head = " ".join(w for w in map(_short_word, base.split()) if w) or base
    return f"{head} {role}".strip()


def _short_word(word: str) -> str:
    """One word of a name shortened: known words by the table, long ones to four letters, numbers dropped."""
    if word.isdigit():
        return ""
    short = _SHORT_WORD.get(word.lower())
    if short is not None:
        return short
    return word if len(word) <= 5 else f"{word[:4]}."


def _new_part(name: str, inst: m21instrument.Instrument, score: Score, with_header: bool,
              grand_staff: bool = False) -> stream.Part:
    """An empty part (or one staff of a grand staff) named for its player, with the meter and,
    on the first part, the tempo."""
    part = stream.PartStaff() if grand_staff else stream.Part()
    part.partName = inst.partName = name
    part.partAbbreviation = inst.instrumentAbbreviation = short_name(name)  # the name on later systems
    part.insert(0, inst)
    if with_header:
        part.insert(0, tempo.MetronomeMark(number=round(score.tempo_bpm)))
    part.insert(0, meter.TimeSignature(f"{score.time_signature[0]}/{score.time_signature[1]}"))
    return part


def _onsets(notes: list[Note], end_limit: float) -> list[tuple[float, list[Note], float]]:
    """(start, notes struck together, beats until the next onset) on the sixteenth grid."""
    groups: dict[float, list[Note]] = defaultdict(list)
    for n in notes:
        start = _quantise(n.start)
        if start < end_limit:
            groups[start].append(n)
    starts = sorted(groups)
    return [(t, groups[t], (starts[i + 1] if i + 1 < len(starts) else end_limit) - t) for i, t in enumerate(starts)]


def _track_to_part(track: Track, score: Score, with_header: bool, staff: str | None = None) -> stream.Part:
    """One part; ``staff`` "upper"/"lower" makes it one staff of a keyboard's grand staff."""
    flats = uses_flats(note_name_to_pc(score.key), score.mode)
    spelling = key_spelling(score.key, score.mode)
    try:
        inst = m21instrument.instrumentFromMidiProgram(track.program)
    except Exception:  # music21 lacks a few programs; a plain instrument keeps the name
        inst = m21instrument.Instrument()
    part = _new_part(track.name, inst, score, with_header, staff is not None)
    pitches = [n.pitch for n in track.notes]
    part.insert(0, staff_clef(track.program, pitches) if staff is None else
                clef.BassClef() if staff == "lower" else clef.TrebleClef())
    mode = score.mode if score.mode in _M21_MODES else ("minor" if "minor" in score.mode else "major")
    part.insert(0, key.Key(score.key.replace("b", "-") if len(score.key) > 1 else score.key, mode))
    for start, members, room in _onsets(track.notes, score.total_beats):
        dur = written_length(min(m.end for m in members) - start, room)
        if len(members) == 1:
            el = note.Note(_spelled(members[0].pitch, flats, spelling), quarterLength=dur)
            if members[0].lyric:
                el.lyric = members[0].lyric
        else:
            el = chord.Chord([_spelled(p, flats, spelling) for p in sorted({m.pitch for m in members})],
                             quarterLength=dur)
        el.volume.velocity = members[0].velocity
        part.insert(start, el)
    return part


# Where each General MIDI drum sits on a percussion staff (treble-clef positions) and its notehead.
_DRUM_STAFF = {35: ("F4", "normal"), 36: ("F4", "normal"), 37: ("C5", "x"), 38: ("C5", "normal"),
               39: ("C5", "x"), 40: ("C5", "normal"), 41: ("A4", "normal"), 43: ("A4", "normal"),
               42: ("G5", "x"), 44: ("D4", "x"), 46: ("G5", "circle-x"), 45: ("D5", "normal"),
               47: ("D5", "normal"), 48: ("E5", "normal"), 50: ("E5", "normal"), 49: ("A5", "x"),
               57: ("A5", "x"), 51: ("F5", "x"), 59: ("F5", "x"), 53: ("F5", "diamond")}
_OTHER_DRUM = ("B5", "x")  # tambourine, shaker, cowbell...: above the cymbals
_LONGEST_HIT = 1.0  # beats: a drum hit is written up to the next hit, at most a beat, then rests


def _drum_part(track: Track, score: Score, with_header: bool) -> stream.Part:
    """A drum kit on a percussion staff: kick low, snare in the middle, cymbals above, x noteheads."""
    part = _new_part(track.name, m21instrument.Percussion(), score, with_header)
    part.insert(0, clef.PercussionClef())
    for start, members, room in _onsets(track.notes, score.total_beats):
        hits = []
        for place, head in sorted({_DRUM_STAFF.get(m.pitch, _OTHER_DRUM) for m in members}):
            hit = note.Unpitched(displayName=place)
            hit.notehead = head
            hits.append(hit)
        el = hits[0] if len(hits) == 1 else percussion.PercussionChord(hits)
        el.quarterLength = min(room, _LONGEST_HIT)
        el.volume.velocity = max(m.velocity for m in members)
        part.insert(start, el)
    return part


# The clef each instrument's player reads; guitars and basses are written an octave above their sound.
_CLEFS = {**dict.fromkeys(range(24, 32), "treble8vb"), **dict.fromkeys([*range(32, 40), 43], "bass8vb"),
          41: "alto", **dict.fromkeys((42, 47, 57, 58, 70), "bass")}
_HIGH_PASSAGE = {"alto": 74, "bass": 64}  # a part centred above this is written in treble clef instead
_CLEF_CLASSES = {"treble": clef.TrebleClef, "bass": clef.BassClef, "alto": clef.AltoClef,
                 "treble8vb": clef.Treble8vbClef, "bass8vb": clef.Bass8vbClef}


def staff_clef(program: int, pitches: list[int]) -> clef.Clef:
    """Alto clef for a viola, bass clef for a cello, trombone or bassoon; other parts by their register."""
    mean = sum(pitches) / len(pitches) if pitches else 60.0
    kind = _CLEFS.get(program) or ("bass" if mean < 55 else "treble")
    if mean > _HIGH_PASSAGE.get(kind, 128):
        kind = "treble"
    return _CLEF_CLASSES[kind]()


def score_to_music21(score: Score) -> stream.Score:
    s = stream.Score()
    s.insert(0, metadata.Metadata())
    s.metadata.title = score.title
    s.metadata.composer = "Tunesmith"
    pitched = [t for t in score.tracks if not t.is_drum and t.notes]
    drums = [t for t in score.tracks if t.is_drum and t.notes]
    for i, track in enumerate(pitched or drums):  # a drum solo is written as a percussion staff
        if track.is_drum:
            staves = [_drum_part(track, score, with_header=i == 0)]
        elif _needs_grand_staff(track):
            # a keyboard part with a low bass and chords above: treble and bass staves, as a pianist reads it
            upper = _track_to_part(replace(track, notes=[n for n in track.notes if n.pitch >= SPLIT_PITCH]),
                                   score, i == 0, "upper")
            lower = _track_to_part(replace(track, notes=[n for n in track.notes if n.pitch < SPLIT_PITCH]),
                                   score, False, "lower")
            staves = [upper, lower]
        else:
            staves = [_track_to_part(track, score, with_header=i == 0)]
        for part in staves:
            part.makeRests(fillGaps=True, inPlace=True, timeRangeFromBarDuration=True)
            part.makeMeasures(inPlace=True)
            part.makeTies(inPlace=True)
            s.insert(0, part)
        if len(staves) == 2:
            s.insert(0, layout.StaffGroup(staves, name=track.name, abbreviation=short_name(track.name),
                                          symbol="brace"))
    return s


SPLIT_PITCH = 60  # middle C: below it goes on the bass staff
KEYBOARD_PROGRAMS = frozenset(range(0, 24)) | {46}  # pianos, mallets, organs, harp


def _needs_grand_staff(track: Track) -> bool:
    pitches = [n.pitch for n in track.notes]
    return track.program in KEYBOARD_PROGRAMS and min(pitches) < 55 and max(pitches) >= SPLIT_PITCH + 4


def score_to_musicxml(score: Score, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    score_to_music21(score).write("musicxml", fp=str(path))
    return path
