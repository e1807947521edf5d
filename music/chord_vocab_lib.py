"""Key-relative chord tokens: the vocabulary shared by the chord model, its training and the styles.

A token is ``"<semitones above the tonic>:<quality>"`` ("0:maj" is I in any major
key, "7:7" is V7, "9:min" is vi), so tunes in every key pool their statistics.
Pure functions only: no corpus, no model.
"""

from __future__ import annotations

from music.theory import CHORD_QUALITIES

# Qualities the model learns; richer ones (9ths, 6ths) are style colour added after sampling.
MODEL_QUALITIES = ("maj", "min", "dim", "aug", "sus4", "7", "maj7", "min7", "m7b5", "dim7")
# Qualities that an analysed pitch set is matched against, with a small prior for the common ones.
_MATCH_PRIOR = {"maj": 0.30, "min": 0.28, "7": 0.22, "dim": 0.1, "min7": 0.12, "maj7": 0.05, "m7b5": 0.06,
                "dim7": 0.08, "aug": 0.0, "sus4": 0.0}


def token(root_interval: int, quality: str) -> str:
    return f"{root_interval % 12}:{quality}"


def parse_token(tok: str) -> tuple[int, str]:
    """'7:7' -> (7, '7')."""
    iv, quality = tok.split(":", 1)
    return int(iv), quality


def token_to_chord(tok: str, tonic_pc: int) -> tuple[int, str]:
    """Root pitch class and quality of a token in a key."""
    iv, quality = parse_token(tok)
    return (tonic_pc + iv) % 12, quality


def chord_to_token(root_pc: int, quality: str, tonic_pc: int) -> str:
    return token(root_pc - tonic_pc, quality)


def simplify_quality(quality: str) -> str:
    """Fold extensions onto the learned qualities: 9 -> 7, min9 -> min7, add9 -> maj, 5 -> maj."""
    return {"9": "7", "maj9": "maj7", "min9": "min7", "add9": "maj", "6": "maj", "min6": "min", "5": "maj",
            "sus2": "maj"}.get(quality, quality)


def match_chord(weights: dict[int, float]) -> tuple[int, str] | None:
    """Best (root pc, quality) for a weighted pitch-class set, as a harmony analyst would label it.

    Score = weight of chord tones - weight of other tones - missing chord tones, with a
    bonus for the bass-free common qualities; ``None`` when the set is empty.
    """
    total = sum(weights.values())
    if total <= 0:
        return None
    best, best_score = None, float("-inf")
    for quality in MODEL_QUALITIES:
        intervals = CHORD_QUALITIES[quality]
        for root in range(12):
            pcs = {(root + i) % 12 for i in intervals}
            inside = sum(w for pc, w in weights.items() if pc in pcs)
            outside = total - inside
            missing = sum(1 for pc in pcs if weights.get(pc, 0.0) <= 0)
            score = inside - 1.5 * outside - 0.35 * total * missing / len(pcs) + _MATCH_PRIOR[quality] * total
            score += 0.15 * weights.get(root, 0.0)  # the root sounding helps
            if score > best_score:
                best, best_score = (root, quality), score
    return best


_SYMBOL_QUALITY = (  # longest suffix first
    ("maj7", "maj7"), ("M7", "maj7"), ("m7b5", "m7b5"), ("dim7", "dim7"), ("min7", "min7"), ("m7", "min7"),
    ("dim", "dim"), ("aug", "aug"), ("sus4", "sus4"), ("sus", "sus4"), ("min", "min"), ("m", "min"),
    ("7", "7"), ("9", "7"), ("6", "maj"), ("+", "aug"), ("o", "dim"), ("", "maj"),
)
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def parse_chord_symbol(text: str) -> tuple[int, str] | None:
    """Lead-sheet symbol -> (root pc, quality): 'Am' -> (9, 'min'), 'G7/b' -> (7, '7'); None if not a chord."""
    s = text.strip().split("/")[0]
    if not s or s[0].upper() not in _LETTERS or s[0] != s[0].upper():
        return None
    root = _LETTERS[s[0]]
    rest = s[1:]
    while rest[:1] in ("#", "b"):
        root += 1 if rest[0] == "#" else -1
        rest = rest[1:]
    for suffix, quality in _SYMBOL_QUALITY:
        if rest == suffix:
            return root % 12, quality
    return None
