"""Per-style arrangement settings, read from ``prompts/arrangement_styles.json`` (data, not code).

``prompts/styles.json`` (the parser's file) gives tempo, meter, mode, groove and the
default ensemble; this module only merges the arrangement fields over ``_default``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
ARRANGEMENT_PATH = PROMPTS_DIR / "arrangement_styles.json"
STYLES_PATH = PROMPTS_DIR / "styles.json"


@dataclass(frozen=True)
class StyleArrangement:
    """How one style is arranged; see the ``_doc`` of the JSON file for each field."""

    name: str
    colour: str
    borrowed: tuple[str, ...]
    harmonic_rhythm: int
    accompaniment: str
    bass: str
    pad: str
    drum_kit: str | None
    swing: float
    song: bool
    humanise: tuple[float, int]
    reverb: int
    mix: dict[str, tuple[int, int]]
    ensemble: tuple[tuple[int, str], ...]  # default [GM program, role] from styles.json
    meter: str
    drums_default: bool


@lru_cache(maxsize=1)
def _raw() -> tuple[dict, dict]:
    try:
        arr = json.loads(ARRANGEMENT_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        arr = {}
    try:
        styles = json.loads(STYLES_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        styles = {}
    return arr, styles


@lru_cache(maxsize=64)
def style_arrangement(style: str) -> StyleArrangement:
    """Settings for ``style``; an unknown style gets the defaults (pop-like), never an error."""
    arr, styles = _raw()
    base = dict(arr.get("_default", {}))
    own = arr.get(style, {})
    merged = {**base, **own}
    mix = {**base.get("mix", {}), **own.get("mix", {})}
    info = styles.get(style, {}) if isinstance(styles.get(style), dict) else {}
    return StyleArrangement(
        name=style,
        colour=merged.get("colour", "triads"),
        borrowed=tuple(merged.get("borrowed", ())),
        harmonic_rhythm=int(merged.get("harmonic_rhythm", 1)),
        accompaniment=merged.get("accompaniment", "block"),
        bass=merged.get("bass", "root_fifth"),
        pad=merged.get("pad", "sustain"),
        drum_kit=merged.get("drum_kit"),
        swing=float(merged.get("swing", 0.5)),
        song=bool(merged.get("song", False)),
        humanise=(float(merged.get("humanise", [0.012, 7])[0]), int(merged.get("humanise", [0.012, 7])[1])),
        reverb=int(merged.get("reverb", 40)),
        mix={k: (int(v[0]), int(v[1])) for k, v in mix.items()},
        ensemble=_ensemble(info.get("instruments", [])),
        meter=str(info.get("meter", "4/4")),
        drums_default=bool(info.get("drums", False)),
    )


def _ensemble(items) -> tuple[tuple[int, str], ...]:
    """[[program, role], ...] from styles.json; entries in any other shape are skipped, never fatal."""
    out = []
    for item in items if isinstance(items, list) else []:
        try:
            program, role = int(item[0]), str(item[1])
        except (TypeError, ValueError, IndexError, KeyError):
            continue
        if 0 <= program < 128:
            out.append((program, role))
    return tuple(out)


def known_styles() -> tuple[str, ...]:
    arr, _ = _raw()
    return tuple(k for k in arr if not k.startswith("_"))
