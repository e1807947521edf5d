"""Piano-roll picture of a score (PNG, matplotlib's Agg backend, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from music.score import Score  # noqa: E402
from music.theory import midi_to_name  # noqa: E402

ROLE_COLOURS = {
    "melody": "#e4572e", "counter": "#f3a712", "chords": "#4c86a8", "accompaniment": "#4c86a8",
    "bass": "#2e4057", "pad": "#8fb996", "drums": "#9a8c98",
}


def score_to_piano_roll(score: Score, path: str | Path, dpi: int = 100) -> Path:
    """Draw every pitched part as coloured bars over bar lines, melody on top."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    pitched = [t for t in score.tracks if not t.is_drum and t.notes]
    pitches = [n.pitch for t in pitched for n in t.notes] or [60]
    lo, hi = min(pitches) - 2, max(pitches) + 2
    fig, ax = plt.subplots(figsize=(10, 4), dpi=dpi)
    order = sorted(pitched, key=lambda t: t.role == "melody")
    for track in order:
        colour = ROLE_COLOURS.get(track.role, "#777777")
        alpha = 0.95 if track.role == "melody" else 0.55
        # one collection per track: thousands of single patches make matplotlib several times slower
        boxes = [Rectangle((n.start, n.pitch - 0.4), n.duration, 0.8) for n in track.notes]
        ax.add_collection(PatchCollection(boxes, facecolor=colour, alpha=alpha, linewidths=0))
    bpb = score.beats_per_bar
    for bar in range(score.bars + 1):
        ax.axvline(bar * bpb, color="#cccccc", lw=0.6, zorder=0)
    for c in score.chords:
        ax.text(c.start + 0.05, hi - 0.5, c.symbol, fontsize=7, color="#333333", va="top")
    ax.set_xlim(0, max(score.total_beats, 1))
    ax.set_ylim(lo, hi + 1)
    ticks = [p for p in range(lo, hi + 1) if p % 12 == 0]
    ax.set_yticks(ticks, [midi_to_name(p) for p in ticks])
    ax.set_xticks([b * bpb for b in range(0, score.bars + 1, max(1, score.bars // 16))],
                  [str(b + 1) for b in range(0, score.bars + 1, max(1, score.bars // 16))])
    ax.set_xlabel("bar")
    num, den = score.time_signature
    ax.set_title(f"{score.key} {score.mode} · {num}/{den} · {score.tempo_bpm:g} bpm", fontsize=10)
    handles = [Rectangle((0, 0), 1, 1, color=ROLE_COLOURS.get(t.role, "#777777")) for t in pitched]
    if handles:
        ax.legend(handles, [f"{t.name} ({t.role})" for t in pitched], fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
