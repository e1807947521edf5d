"""Pick a melody generator by name: the shipped neural models, or the rule-based baseline."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from generators.base import MelodyGenerator
from generators.checkpoint_io import CHECKPOINT_DIR

log = logging.getLogger(__name__)
GENERATOR_NAMES = ("auto", "neural", "vae", "lstm", "baseline")


@functools.lru_cache(maxsize=4)
def load_neural(checkpoint_dir: str = str(CHECKPOINT_DIR), composer: str = "vae", n_candidates: int = 8):
    """The shipped VAE + LSTM + CNN judge as one ``NeuralGenerator`` (loaded once per process)."""
    import torch

    from generators.checkpoint_io import load_checkpoint
    from generators.neural import NeuralGenerator, pick_device

    if torch.get_num_threads() > 4:
        torch.set_num_threads(4)
    device = pick_device()
    d = Path(checkpoint_dir)
    vae, vinfo, extra = load_checkpoint(d / "vae.safetensors", device)
    lstm, _, _ = load_checkpoint(d / "lstm.safetensors", device)
    try:
        cnn, _, _ = load_checkpoint(d / "cnn.safetensors", device)
    except Exception as exc:  # noqa: BLE001 - without its judge the generator still reranks by rules
        log.warning("CNN judge unavailable (%s); reranking by rules and likelihood only", exc)
        cnn = None
    styles = tuple(vinfo.get("styles") or ())
    from generators.novelty_lib import load_index
    from music.conditioning import STYLES

    return NeuralGenerator(vae, lstm, cnn, extra["attr_vectors"], vinfo.get("attributes", []),
                           styles or STYLES, composer=composer, n_candidates=n_candidates, device=device,
                           novelty_index=load_index(d / "novelty_index.npz"))


def load_generator(name: str = "auto") -> MelodyGenerator:
    """"auto": neural when the shipped checkpoints load, else the baseline; "vae"/"lstm" pick the composer."""
    from generators.baseline import BaselineGenerator

    key = (name or "auto").lower()
    if key == "baseline":
        return BaselineGenerator()
    try:
        return load_neural(composer="lstm" if key == "lstm" else "vae")
    except Exception as exc:  # noqa: BLE001 - missing or broken checkpoints fall back to rules
        if key in ("neural", "vae", "lstm"):
            log.warning("neural generator unavailable (%s); using the baseline", exc)
        return BaselineGenerator()
