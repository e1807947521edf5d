"""Which key a chord progression implies ("the chords E, A, D, E7, A" -> A major).

Each of the 24 major and minor keys scores the number of chords whose notes all
fit its scale (minor keys may raise the sixth and seventh, as in real minor-key
harmony), plus one if the progression opens on its tonic chord and a half if it
closes on it; ties go to the key whose tonic chord appears at all, then to major.
"""

from __future__ import annotations

from music.theory import CHORD_QUALITIES, MODES, chord_pcs

_MINOR_SCALE = frozenset(MODES["minor"]) | {9, 11}  # natural minor plus the raised 6th and 7th


def _scale(tonic: int, mode: str) -> frozenset[int]:
    steps = MODES["major"] if mode == "major" else _MINOR_SCALE
    return frozenset((tonic + s) % 12 for s in steps)


def key_from_chords(chords: list[tuple[int, str]]) -> tuple[int, str] | None:
    """(tonic pitch class, "major" or "minor") for chords given as (root pc, quality), or None."""
    chords = [(r % 12, q) for r, q in chords if q in CHORD_QUALITIES]
    if not chords:
        return None
    def score(key: tuple[int, str]) -> tuple[float, int, int]:
        tonic, mode = key
        scale = _scale(tonic, mode)
        third = 4 if mode == "major" else 3

        def is_tonic(chord: tuple[int, str]) -> bool:
            r, q = chord
            return r == tonic and (CHORD_QUALITIES[q][1:2] == (third,) or q == "5")

        fits = sum(set(chord_pcs(r, q)) <= scale for r, q in chords)
        frame = 1.0 * is_tonic(chords[0]) + 0.5 * is_tonic(chords[-1])
        return fits + frame, int(any(map(is_tonic, chords))), int(mode == "major")

    return max(((t, m) for t in range(12) for m in ("major", "minor")), key=score)
