"""Pure music theory: pitch spelling, scales and modes, chords, transposition."""

from __future__ import annotations

SHARP_NAMES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
FLAT_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")

_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}

# Interval sets from the tonic; pentatonic scales have five degrees.
MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "ionian": (0, 2, 4, 5, 7, 9, 11),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "aeolian": (0, 2, 3, 5, 7, 8, 10),
    "locrian": (0, 1, 3, 5, 6, 8, 10),
    "harmonic_minor": (0, 2, 3, 5, 7, 8, 11),
    "major_pentatonic": (0, 2, 4, 7, 9),
    "minor_pentatonic": (0, 3, 5, 7, 10),
    "blues": (0, 3, 5, 6, 7, 10),
}

# Whether a mode sounds major (major third above the tonic) or minor.
MAJOR_LIKE = frozenset({"major", "ionian", "lydian", "mixolydian", "major_pentatonic"})

CHORD_QUALITIES: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "aug": (0, 4, 8),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "5": (0, 7),
    "7": (0, 4, 7, 10),
    "maj7": (0, 4, 7, 11),
    "min7": (0, 3, 7, 10),
    "m7b5": (0, 3, 6, 10),
    "dim7": (0, 3, 6, 9),
    "6": (0, 4, 7, 9),
    "min6": (0, 3, 7, 9),
    "9": (0, 4, 7, 10, 14),
    "maj9": (0, 4, 7, 11, 14),
    "min9": (0, 3, 7, 10, 14),
    "add9": (0, 4, 7, 14),
}

_QUALITY_SUFFIX = {
    "maj": "", "min": "m", "dim": "dim", "aug": "aug", "sus2": "sus2", "sus4": "sus4",
    "5": "5", "7": "7", "maj7": "maj7", "min7": "m7", "m7b5": "m7b5", "dim7": "dim7",
    "6": "6", "min6": "m6", "9": "9", "maj9": "maj9", "min9": "m9", "add9": "add9",
}

# Keys conventionally spelled with flats (major tonics and minor tonics).
_FLAT_MAJOR = frozenset({5, 10, 3, 8, 1, 6})  # F Bb Eb Ab Db Gb
_FLAT_MINOR = frozenset({2, 7, 0, 5, 10, 3})  # D G C F Bb Eb


def note_name_to_pc(name: str) -> int:
    """'C#' -> 1, 'Bb' -> 10, 'E#' -> 5; raises ValueError for anything else."""
    text = name.strip()
    if not text or text[0].upper() not in _LETTER_PC:
        raise ValueError(f"not a note name: {name!r}")
    pc = _LETTER_PC[text[0].upper()]
    for ch in text[1:]:
        if ch in "#♯":
            pc += 1
        elif ch in "b♭":
            pc -= 1
        else:
            raise ValueError(f"not a note name: {name!r}")
    return pc % 12


def uses_flats(tonic_pc: int, mode: str) -> bool:
    """Whether the conventional key signature for this tonic and mode is flat."""
    major_pc = (tonic_pc - MODES.get(mode, MODES["major"])[0] - mode_offset(mode)) % 12
    return major_pc in _FLAT_MAJOR


_LETTERS = "CDEFGAB"
_LETTER_PC = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def _letter_name(letter: str, pc: int) -> str:
    acc = (pc - _LETTER_PC[letter] + 6) % 12 - 6
    return letter + ("#" * acc if acc > 0 else "b" * -acc)


def key_spelling(tonic_name: str, mode: str) -> dict[int, str]:
    """Pitch class -> name for the key's seven degrees, one letter each, plus the leading tone.

    D minor spells its raised seventh C#, not Db; E major spells D#, not Eb.
    Other chromatic notes are left to ``pc_to_name`` with the key's flat/sharp preference.
    """
    steps = MODES.get(diatonic_parent(mode), MODES["major"])
    if len(steps) != 7 or not tonic_name or tonic_name[0].upper() not in _LETTERS:
        return {}
    tonic_pc, start = note_name_to_pc(tonic_name), _LETTERS.index(tonic_name[0].upper())
    out = {(tonic_pc + st) % 12: _letter_name(_LETTERS[(start + i) % 7], (tonic_pc + st) % 12)
           for i, st in enumerate(steps)}
    lead = (tonic_pc - 1) % 12
    out.setdefault(lead, _letter_name(_LETTERS[(start + 6) % 7], lead))
    return out


def name_octave(name: str, midi: int) -> int:
    """Scientific octave of ``midi`` written as ``name`` (B#3 and Cb4 sit on either side of C4)."""
    acc = name.count("#") - name.count("b", 1)
    return (midi - acc - _LETTER_PC[name[0]]) // 12 - 1


def mode_offset(mode: str) -> int:
    """Semitones from the relative major's tonic down to this mode's tonic."""
    return {
        "major": 0, "ionian": 0, "major_pentatonic": 0,
        "dorian": 2, "phrygian": 4, "lydian": 5, "mixolydian": 7,
        "minor": 9, "aeolian": 9, "harmonic_minor": 9, "minor_pentatonic": 9, "blues": 9,
        "locrian": 11,
    }.get(mode, 0)


def relative_major_pc(tonic_pc: int, mode: str) -> int:
    return (tonic_pc - mode_offset(mode)) % 12




def pc_to_name(pc: int, flats: bool = False) -> str:
    return (FLAT_NAMES if flats else SHARP_NAMES)[pc % 12]


def spell_tonic(tonic_pc: int, mode: str) -> str:
    """Conventional spelling of a tonic: 'Bb' major, 'F#' minor, 'Eb' major."""
    major = relative_major_pc(tonic_pc, mode)
    return pc_to_name(tonic_pc, flats=major in _FLAT_MAJOR)


def scale_pcs(tonic_pc: int, mode: str) -> tuple[int, ...]:
    return tuple((tonic_pc + i) % 12 for i in MODES[mode])


def is_major_like(mode: str) -> bool:
    return mode in MAJOR_LIKE


def diatonic_parent(mode: str) -> str:
    """Seven-note mode used for harmony when the melody mode is pentatonic or blues."""
    return {"major_pentatonic": "major", "minor_pentatonic": "minor", "blues": "minor"}.get(mode, mode)


def chord_pcs(root_pc: int, quality: str) -> tuple[int, ...]:
    return tuple((root_pc + i) % 12 for i in CHORD_QUALITIES[quality])


def chord_symbol(root_pc: int, quality: str, flats: bool = False) -> str:
    return pc_to_name(root_pc, flats) + _QUALITY_SUFFIX[quality]


def diatonic_triad(tonic_pc: int, mode: str, degree: int, seventh: bool = False) -> tuple[int, str]:
    """Root pitch class and quality of the triad (or seventh) on a 1-based scale degree."""
    scale = MODES[diatonic_parent(mode)]
    n = len(scale)
    i = (degree - 1) % n
    root = scale[i]
    third = (scale[(i + 2) % n] - root) % 12
    fifth = (scale[(i + 4) % n] - root) % 12
    sev = (scale[(i + 6) % n] - root) % 12
    if third == 4 and fifth == 7:
        quality = "maj7" if sev == 11 else "7"
        quality = quality if seventh else "maj"
    elif third == 3 and fifth == 7:
        quality = "min7" if seventh else "min"
    elif third == 3 and fifth == 6:
        quality = "m7b5" if seventh else "dim"
    else:
        quality = "aug"
    return (tonic_pc + root) % 12, quality




def transpose_pitch(pitch: int, semitones: int, low: int = 0, high: int = 127) -> int:
    """Shift a MIDI pitch, folding by octaves to stay in [low, high]."""
    p = pitch + semitones
    while p < low:
        p += 12
    while p > high:
        p -= 12
    return p


# Scale degree (0-based) each chromatic step above the tonic spells: b3 and 3 are both the third, b7 and 7 the
# seventh; the tritone counts as a raised fourth (a blues "blue note" resolves down to the fourth).
_DEGREE_OF_STEP = (0, 1, 1, 2, 2, 3, 3, 4, 5, 5, 6, 6)


def pitch_in_mode(pitch: int, tonic_pc: int, mode: str) -> int:
    """The pitch moved to the same scale degree of ``mode`` on the same tonic.

    Works from the notes actually played, not from the old mode's name, so a blues
    or pentatonic piece whose chords carry a major third still changes: E in C
    major becomes Eb in C minor, C# over a blues A7 becomes C in A minor. A mode's
    own altered degrees (lydian #4, locrian b5) are kept.
    """
    scale = MODES[diatonic_parent(mode)]
    rel = (pitch - tonic_pc) % 12
    if rel in scale:
        return pitch
    return pitch + scale[_DEGREE_OF_STEP[rel]] - rel


def midi_to_name(pitch: int, flats: bool = False) -> str:
    return f"{pc_to_name(pitch % 12, flats)}{pitch // 12 - 1}"
