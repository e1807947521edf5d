"""The conditioning vector: one definition shared by the parser and the training data.

Layout (``COND_DIM`` floats, every entry in [-1, 1] or one-hot):

====  ===========  =====================================================
idx   name         meaning
====  ===========  =====================================================
0     valence      -1 sad/dark .. +1 happy/bright
1     arousal      -1 calm .. +1 energetic
2     tempo        log2(bpm / 100), clipped to [-1, 1] (50 .. 200 bpm)
3     mode         +1 major-like mode, -1 minor-like mode
4     density      melody onsets per beat: 2 * clip(onsets_per_beat / 3) - 1
5     register     (mean melody pitch - 67) / 12, clipped
6-9   meter        one-hot: duple, triple, compound, odd
10-   style        one-hot over ``STYLES``
====  ===========  =====================================================

The parser fills it from a ``MusicSpec``; ``generators/`` fills it from the music
itself when labelling the corpus (valence and arousal proxies from mode,
register, density and tempo), so both sides mean the same thing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from music.theory import is_major_like

STYLES: tuple[str, ...] = (
    "pop", "rock", "jazz", "blues", "folk", "classical", "waltz", "march", "lullaby", "lofi",
    "ambient", "cinematic", "chinese", "celtic", "latin", "funk", "electronic", "hiphop", "chorale",
    "country",
)
METER_CLASSES: tuple[str, ...] = ("duple", "triple", "compound", "odd")
COND_DIM = 6 + len(METER_CLASSES) + len(STYLES)


def meter_class(time_signature: str) -> str:
    num, den = (int(x) for x in time_signature.split("/"))
    if den == 8 and num in (6, 9, 12):
        return "compound"
    if num in (3,) or (num == 6 and den == 4):
        return "triple"
    if num in (2, 4):
        return "duple"
    return "odd"


def _clip(x: float, lo: float = -1.0, hi: float = 1.0) -> float:
    return max(lo, min(hi, x))


def tempo_feature(bpm: float) -> float:
    return _clip(math.log2(max(bpm, 1.0) / 100.0))


def density_feature(onsets_per_beat: float) -> float:
    return 2.0 * _clip(onsets_per_beat / 3.0, 0.0, 1.0) - 1.0


def register_feature(mean_pitch: float) -> float:
    return _clip((mean_pitch - 67.0) / 12.0)


def conditioning_vector(
    valence: float,
    arousal: float,
    tempo_bpm: float,
    mode: str,
    time_signature: str,
    density: float,
    register: float,
    style: str,
) -> list[float]:
    """Build the vector; ``density`` and ``register`` are already features in [-1, 1]."""
    vec = [
        _clip(valence), _clip(arousal), tempo_feature(tempo_bpm),
        1.0 if is_major_like(mode) else -1.0, _clip(density), _clip(register),
    ]
    mc = meter_class(time_signature)
    vec += [1.0 if m == mc else 0.0 for m in METER_CLASSES]
    vec += [1.0 if s == style else 0.0 for s in STYLES]
    return vec


def spec_to_conditioning(spec) -> list[float]:
    """Conditioning vector of a ``MusicSpec`` (density and register are 0..1 there)."""
    return conditioning_vector(
        spec.valence, spec.arousal, spec.tempo_bpm, spec.mode, spec.time_signature,
        2.0 * spec.density - 1.0, 2.0 * spec.register - 1.0, spec.style,
    )


def proxy_valence_arousal(
    major: bool, mean_pitch: float, onsets_per_beat: float, tempo_bpm: float
) -> tuple[float, float]:
    """Valence and arousal estimated from the music, for labelling training data.

    Valence leans on mode and register; arousal on tempo and note density.
    """
    valence = (0.6 if major else -0.6) + 0.4 * register_feature(mean_pitch)
    arousal = 0.6 * tempo_feature(tempo_bpm) + 0.4 * density_feature(onsets_per_beat)
    return _clip(valence), _clip(arousal)


def describe(vec: Sequence[float]) -> dict[str, float | str]:
    """Human-readable view of a vector, for debugging and model cards."""
    mc = METER_CLASSES[max(range(4), key=lambda i: vec[6 + i])]
    st = STYLES[max(range(len(STYLES)), key=lambda i: vec[10 + i])]
    return {
        "valence": vec[0], "arousal": vec[1], "tempo": vec[2], "mode": vec[3],
        "density": vec[4], "register": vec[5], "meter": mc, "style": st,
    }
