"""Checkpoints as safetensors: weights plus the model's config dataclass as JSON metadata.

Loading never unpickles anything, so a checkpoint cannot run code; the config
inside it rebuilds the exact architecture (nanoGPT's ``model_args`` idea).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from generators.models import AttributeCNN, CNNConfig, LSTMConfig, MelodyLSTM, MelodyVAE, VAEConfig

CHECKPOINT_DIR = Path(__file__).parent / "checkpoints"
KINDS = {"vae": (MelodyVAE, VAEConfig), "lstm": (MelodyLSTM, LSTMConfig), "cnn": (AttributeCNN, CNNConfig)}


def save_checkpoint(
    model: torch.nn.Module, kind: str, path: Path, info: dict | None = None,
    extra: dict[str, torch.Tensor] | None = None,
) -> None:
    """Weights (+ ``extra`` tensors, prefixed ``extra.``) and JSON metadata: kind, config, info."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    for k, v in (extra or {}).items():
        tensors[f"extra.{k}"] = v.detach().cpu().contiguous()
    meta = {"kind": kind, "config": json.dumps(asdict(model.cfg)), "info": json.dumps(info or {})}
    save_file(tensors, str(path), metadata=meta)


def read_metadata(path: Path) -> dict:
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
    return {"kind": meta.get("kind"), "config": json.loads(meta.get("config", "{}")),
            "info": json.loads(meta.get("info", "{}"))}


def config_from_dict(cls, d: dict):
    names = {f.name for f in fields(cls)}
    kw = {k: v for k, v in d.items() if k in names}
    if "channels" in kw:
        kw["channels"] = tuple(kw["channels"])
    return cls(**kw)


def load_checkpoint(path: Path, device: str = "cpu") -> tuple[torch.nn.Module, dict, dict[str, torch.Tensor]]:
    """(model in eval mode, info dict, extra tensors), rebuilt from the config saved inside."""
    meta = read_metadata(path)
    model_cls, cfg_cls = KINDS[meta["kind"]]
    model = model_cls(config_from_dict(cfg_cls, meta["config"]))
    tensors = load_file(str(path), device=device)
    extra = {k[len("extra."):]: v for k, v in tensors.items() if k.startswith("extra.")}
    model.load_state_dict({k: v for k, v in tensors.items() if not k.startswith("extra.")})
    model.to(device).eval()
    return model, meta["info"], extra
