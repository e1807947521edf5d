"""Train the VAE, the LSTM and the CNN judge on the cached corpus.

    python -m generators.train --model all            # CPU or one GPU
    torchrun --nproc_per_node 4 -m generators.train   # DistributedDataParallel

Progress is printed every ``--log-every`` steps; checkpoints (safetensors with
their config inside) go to ``generators/checkpoints/``.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from generators.checkpoint_io import CHECKPOINT_DIR, save_checkpoint
from generators.corpus_io import DEFAULT_PATH, load_tunes
from generators.melody_encoder_decoder import (
    MAX_REL,
    MIN_REL,
    PITCH_OFFSET,
    pad_batch,
    rolls_from_tokens,
    tune_windows,
)
from generators.melody_lib import Tune, bin3, split_of
from generators.models import (
    AttributeCNN,
    CNNConfig,
    LSTMConfig,
    MelodyLSTM,
    MelodyVAE,
    VAEConfig,
    shift_right,
)

ATTRIBUTES = ("valence", "arousal", "density", "register")  # latent attribute vectors of the VAE
_ATTR_IDX = {"valence": 0, "arousal": 1, "density": 4, "register": 5}


@dataclass
class WindowSet:
    """All windows of a split as compact arrays (chroma as bits)."""

    tokens: np.ndarray  # (N, T) int
    chroma: np.ndarray  # (N, T, 12) uint8
    pos: np.ndarray  # (N, T)
    mask: np.ndarray  # (N, T) bool
    cond: np.ndarray  # (N, C)
    tonic: np.ndarray  # (N,) tonic pitch class of the source tune
    mean_pitch: np.ndarray  # (N,) mean absolute pitch

    def __len__(self) -> int:
        return len(self.tokens)


def build_windows(tunes: list[Tune], max_steps: int = 128, max_bars: int = 8, hop_bars: int = 4) -> WindowSet:
    wins, tonics, means = [], [], []
    for t in tunes:
        for w in tune_windows(t, max_steps, max_bars, hop_bars):
            wins.append(w)
            tonics.append(t.tonic_pc)
            means.append(67.0 + 12.0 * w.cond[5])  # register feature back to a pitch (unclipped range)
    b = pad_batch(wins, max_steps)
    return WindowSet(b["tokens"].astype(np.int16), b["chroma"].astype(np.uint8), b["pos"].astype(np.int8),
                     b["mask"], b["cond"], np.array(tonics), np.array(means, dtype=np.float32))


def relabel(cond: np.ndarray, register_shift: np.ndarray, tempo_feat: np.ndarray | None) -> np.ndarray:
    """Recompute register, valence, tempo and arousal after augmentation, by conditioning's formulas."""
    cond = cond.copy()
    reg = np.clip(cond[:, 5] + register_shift / 12.0, -1, 1)
    cond[:, 5] = reg
    cond[:, 0] = np.clip(0.6 * np.sign(cond[:, 3]) + 0.4 * reg, -1, 1)
    if tempo_feat is not None:
        cond[:, 2] = tempo_feat
        cond[:, 1] = np.clip(0.6 * tempo_feat + 0.4 * cond[:, 4], -1, 1)
    return cond


def sample_batch(ws: WindowSet, idx: np.ndarray, rng: np.random.Generator, augment: bool, device: str) -> dict:
    """A batch of windows, augmented by octave transposition (when it stays in range) and tempo."""
    tokens = ws.tokens[idx].astype(np.int64)
    cond = ws.cond[idx]
    if augment:
        pitch = tokens >= PITCH_OFFSET
        rel = np.where(pitch, tokens - PITCH_OFFSET + MIN_REL, 0)
        lo = np.where(pitch, rel, 999).min(1)
        hi = np.where(pitch, rel, -999).max(1)
        shift = rng.choice([-12, 0, 0, 12], size=len(idx))
        ok = (lo + shift >= MIN_REL) & (hi + shift <= MAX_REL)
        shift = np.where(ok, shift, 0)
        tokens = np.where(pitch, tokens + shift[:, None], tokens)
        cond = relabel(cond, shift.astype(np.float32), rng.uniform(-1, 1, len(idx)).astype(np.float32))
    t = lambda a, dt: torch.as_tensor(a, dtype=dt, device=device)  # noqa: E731
    return {"tokens": t(tokens, torch.long), "chroma": t(ws.chroma[idx], torch.float32),
            "pos": t(ws.pos[idx].astype(np.int64), torch.long), "mask": t(ws.mask[idx], torch.bool),
            "cond": t(cond, torch.float32), "np_tokens": tokens, "np_cond": cond, "tonic": ws.tonic[idx]}


def masked_nll(logits, tokens, mask) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(mean NLL per valid step, number of correct argmax predictions, number of valid steps)."""
    nll = F.cross_entropy(logits.transpose(1, 2), tokens, reduction="none")
    m = mask.float()
    correct = ((logits.argmax(-1) == tokens) & mask).sum()
    return (nll * m).sum() / m.sum().clamp(min=1), correct, mask.sum()


def vae_loss(model, b, beta: float, free_bits: float):
    logits, mu, logvar = model(b["tokens"], b["chroma"], b["pos"], b["mask"], b["cond"])
    nll, correct, n = masked_nll(logits, b["tokens"], b["mask"])
    kl_dim = 0.5 * (mu.pow(2) + logvar.exp() - 1 - logvar).mean(0)  # per latent dim
    kl = kl_dim.sum()
    steps = b["mask"].float().sum(1).mean()
    kl_pen = torch.clamp(kl_dim, min=free_bits).sum() / steps
    return nll + beta * kl_pen, nll, kl / steps, correct, n


def lstm_loss(model, b):
    logits, _ = model(shift_right(b["tokens"]), b["chroma"], b["pos"], b["cond"])
    nll, correct, n = masked_nll(logits, b["tokens"], b["mask"])
    return nll, nll, torch.zeros(()), correct, n


def cnn_targets(cond: np.ndarray) -> dict[str, np.ndarray]:
    """Class labels of the judge's heads from (augmented) label vectors."""
    return {
        "mode": (cond[:, 3] > 0).astype(np.int64),
        "meter": cond[:, 6:10].argmax(1),
        "density": np.array([bin3(x) for x in cond[:, 4]]),
        "valence": np.array([bin3(x) for x in cond[:, 0]]),
        "arousal": np.array([bin3(x) for x in cond[:, 1]]),
        "style": cond[:, 10:].argmax(1),
    }


def cnn_batch(b: dict, rng: np.random.Generator, cfg: CNNConfig, augment: bool, device: str):
    """Rolls in absolute pitch, transposed to a random key (labels follow the new register)."""
    n = len(b["tonic"])
    d = rng.integers(-5, 7, n) if augment else np.zeros(n, dtype=np.int64)
    cond = relabel(b["np_cond"], d.astype(np.float32), None)
    rolls = rolls_from_tokens(b["np_tokens"][:, : cfg.n_steps], b["tonic"] + d, cfg.low_pitch, cfg.n_pitch)
    tgt = {k: torch.as_tensor(v, device=device) for k, v in cnn_targets(cond).items()}
    return torch.as_tensor(rolls, device=device), torch.as_tensor(cond[:, 2], device=device), tgt


def class_weights(cond: np.ndarray, heads: dict[str, int], device: str,
                  balanced: tuple[str, ...] = ("mode",)) -> dict[str, torch.Tensor]:
    """Inverse-frequency weights (clipped) for the ``balanced`` heads, so the judge cannot win by always
    saying "major" (79 % of the corpus); the binned heads keep plain weights, rare bins would swamp them."""
    out = {}
    for k, v in cnn_targets(cond).items():
        if k not in balanced:
            continue
        counts = np.bincount(v, minlength=heads[k]).astype(float)
        w = np.where(counts > 0, counts.sum() / (heads[k] * np.maximum(counts, 1)), 0.0)
        out[k] = torch.as_tensor(np.clip(w, 0.0, 5.0), dtype=torch.float32, device=device)
    return out


def cnn_loss(model, rolls, tempo, tgt, weights: dict[str, torch.Tensor] | None = None):
    out = model(rolls, tempo)
    loss = sum(F.cross_entropy(out[k], tgt[k], weight=(weights or {}).get(k)) for k in out)
    acc = {k: (out[k].argmax(-1) == tgt[k]).float().mean().item() for k in out}
    return loss, acc


@torch.no_grad()
def evaluate(kind: str, model, ws: WindowSet, device: str, batch: int = 128, cnn_cfg: CNNConfig | None = None):
    """Held-out NLL per step and next-step accuracy (VAE: reconstruction at the posterior mean + KL)."""
    model.eval()
    rng = np.random.default_rng(0)
    tot_nll = tot_kl = 0.0
    tot_correct = tot_n = 0
    accs: dict[str, list[float]] = {}
    for i in range(0, len(ws), batch):
        idx = np.arange(i, min(len(ws), i + batch))
        b = sample_batch(ws, idx, rng, False, device)
        if kind == "cnn":
            rolls, tempo, tgt = cnn_batch(b, rng, cnn_cfg, False, device)
            out = model(rolls, tempo)
            for k in out:
                pred, true = out[k].argmax(-1).cpu().numpy(), tgt[k].cpu().numpy()
                accs.setdefault(k, []).append(float((pred == true).sum()))
                for c in np.unique(true):
                    accs.setdefault(f"{k}#{c}", []).append(float((pred[true == c] == c).sum()))
                    accs.setdefault(f"{k}#{c}n", []).append(float((true == c).sum()))
            tot_n += len(idx)
            continue
        if kind == "vae":
            _, nll, kl, correct, n = vae_loss(model, b, 1.0, 0.0)
            tot_kl += kl.item() * n.item()
        else:
            _, nll, _, correct, n = lstm_loss(model, b)
        tot_nll += nll.item() * n.item()
        tot_correct += correct.item()
        tot_n += n.item()
    model.train()
    if kind == "cnn":
        out = {f"acc_{k}": sum(v) / tot_n for k, v in accs.items() if "#" not in k}
        for k in list(out):
            head = k[4:]
            recalls = [sum(accs[f"{head}#{c}"]) / sum(accs[f"{head}#{c}n"])
                       for c in range(64) if f"{head}#{c}n" in accs]
            out[f"balanced_acc_{head}"] = float(np.mean(recalls))
        return out
    out = {"nll": tot_nll / tot_n, "accuracy": tot_correct / tot_n}
    if kind == "vae":
        out["kl_per_step"] = tot_kl / tot_n
        out["elbo_nll"] = out["nll"] + out["kl_per_step"]
    return out


@torch.no_grad()
def attribute_vectors(model: MelodyVAE, ws: WindowSet, device: str, n: int = 4000) -> torch.Tensor:
    """MusicVAE attribute vectors: mean z of the top quartile minus the bottom quartile."""
    model.eval()
    idx = np.random.default_rng(1).permutation(len(ws))[:n]
    zs = []
    for i in range(0, len(idx), 256):
        b = sample_batch(ws, idx[i: i + 256], np.random.default_rng(0), False, device)
        mu, _ = model.encode(b["tokens"], b["chroma"], b["pos"], b["mask"])
        zs.append(mu.cpu())
    z = torch.cat(zs)
    cond = torch.as_tensor(ws.cond[idx])
    vecs = []
    for a in ATTRIBUTES:
        v = cond[:, _ATTR_IDX[a]]
        lo, hi = torch.quantile(v, 0.25), torch.quantile(v, 0.75)
        vecs.append(z[v >= hi].mean(0) - z[v <= lo].mean(0))
    return torch.stack(vecs)


def lr_at(step: int, total: int, base: float, warmup: int = 100) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * min(1.0, (step - warmup) / max(1, total - warmup))))


def dist_setup() -> tuple[int, int, str]:
    """(rank, world size, device); initialises DistributedDataParallel under torchrun."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        import torch.distributed as dist

        backend = "nccl" if torch.cuda.is_available() else "gloo"
        dist.init_process_group(backend)
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if torch.cuda.is_available():
            torch.cuda.set_device(local)
        return dist.get_rank(), world, f"cuda:{local}" if torch.cuda.is_available() else "cpu"
    return 0, 1, "cuda" if torch.cuda.is_available() else "cpu"


def train_model(kind: str, train: WindowSet, valid: WindowSet, steps: int, batch: int, lr: float,
                seed: int, device: str, cfg=None, rank: int = 0, world: int = 1, log_every: int = 50,
                log=print, minutes: float = 0.0, init: torch.nn.Module | None = None):
    """Train one model for ``steps`` optimiser steps (or ``minutes`` of wall time); returns (model, metrics).

    With a time budget the learning-rate schedule follows elapsed time, and the
    steps actually taken are recorded so the run can be repeated with ``--steps``.
    """
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed + rank)
    if init is not None:
        model = init  # continue training a loaded checkpoint
    elif kind == "vae":
        model = MelodyVAE(cfg or VAEConfig())
    elif kind == "lstm":
        model = MelodyLSTM(cfg or LSTMConfig())
    else:
        model = AttributeCNN(cfg or CNNConfig())
    model.to(device).train()
    net = model
    if world > 1:
        from torch.nn.parallel import DistributedDataParallel as DDP

        net = DDP(model, device_ids=[int(device.split(":")[1])] if device.startswith("cuda") else None)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    weights = class_weights(train.cond, model.cfg.heads, device) if kind == "cnn" else None
    t0 = time.time()
    run_loss = run_acc = 0.0
    step = 0
    budget = minutes * 60.0
    while (step < steps) if budget <= 0 else (time.time() - t0 < budget):
        if budget > 0:
            frac = (time.time() - t0) / budget
            cur_lr = lr * min(1.0, (step + 1) / 100) * 0.5 * (1 + math.cos(math.pi * min(1.0, frac)))
        else:
            cur_lr = lr_at(step, steps, lr)
        for g in opt.param_groups:
            g["lr"] = cur_lr
        b = sample_batch(train, rng.integers(0, len(train), batch), rng, True, device)
        if kind == "vae":
            frac = (time.time() - t0) / budget if budget > 0 else step / max(1, steps)
            beta = 0.2 * min(1.0, frac / 0.3)
            loss, nll, kl, correct, n = vae_loss(net, b, beta, free_bits=0.25)
            acc = (correct / n).item()
        elif kind == "lstm":
            loss, nll, _, correct, n = lstm_loss(net, b)
            acc = (correct / n).item()
        else:
            rolls, tempo, tgt = cnn_batch(b, rng, model.cfg, True, device)
            loss, accs = cnn_loss(net, rolls, tempo, tgt, weights)
            acc = sum(accs.values()) / len(accs)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run_loss += loss.item()
        run_acc += acc
        step += 1
        if rank == 0 and (step % log_every == 0 or step == steps):
            k = ((step - 1) % log_every) + 1
            log(f"[{kind}] step {step}{'' if budget else f'/{steps}'} loss {run_loss / k:.3f} "
                f"acc {run_acc / k:.3f} lr {cur_lr:.2e} {time.time() - t0:.0f}s")
            run_loss = run_acc = 0.0
    metrics = {"train_seconds": round(time.time() - t0, 1), "steps": step, "batch": batch * world, "lr": lr}
    if rank == 0 and len(valid):
        metrics.update({f"valid_{k}": round(v, 4) for k, v in evaluate(
            kind, model, valid, device, cnn_cfg=model.cfg if kind == "cnn" else None).items()})
    return model, metrics


def split_tunes(tunes: list[Tune]) -> dict[str, list[Tune]]:
    out: dict[str, list[Tune]] = {"train": [], "valid": [], "test": []}
    for t in tunes:
        out[split_of(t)].append(t)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Train Tunesmith's melody models")
    ap.add_argument("--model", choices=["vae", "lstm", "cnn", "all"], default="all")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--out", type=Path, default=CHECKPOINT_DIR)
    ap.add_argument("--steps", type=int, default=0, help="optimiser steps (0 = the shipped default per model)")
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--minutes", type=float, default=0.0, help="wall-time budget per model instead of --steps")
    ap.add_argument("--init", type=Path, default=None, help="continue from this checkpoint directory")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    rank, world, device = dist_setup()
    log = (lambda s: print(s, flush=True)) if rank == 0 else (lambda s: None)
    tunes = load_tunes(args.corpus)
    splits = split_tunes(tunes)
    log(f"{len(tunes)} tunes: " + ", ".join(f"{k} {len(v)}" for k, v in splits.items()) + f"; device {device}")
    train = build_windows(splits["train"])
    valid = build_windows(splits["valid"])
    log(f"windows: train {len(train)}, valid {len(valid)}")
    default_steps = {"vae": 2500, "lstm": 2000, "cnn": 600}
    for kind in (["vae", "lstm", "cnn"] if args.model == "all" else [args.model]):
        steps = args.steps or default_steps[kind]
        init = None
        if args.init:
            from generators.checkpoint_io import load_checkpoint

            init, prev_info, _ = load_checkpoint(args.init / f"{kind}.safetensors", device)
        model, metrics = train_model(kind, train, valid, steps, args.batch, args.lr, args.seed, device,
                                     rank=rank, world=world, log_every=args.log_every, log=log,
                                     minutes=args.minutes, init=init)
        if rank != 0:
            continue
        if init is not None:
            metrics["continued_from"] = {k: prev_info.get(k) for k in ("steps", "train_seconds", "command")}
        metrics.update({"device": device, "world_size": world, "train_windows": len(train),
                        "train_tunes": len(splits["train"]), "seed": args.seed,
                        "command": "python -m generators.train " + " ".join(argv or sys.argv[1:])})
        extra = {"attr_vectors": attribute_vectors(model, train, device)} if kind == "vae" else None
        if extra:
            metrics["attributes"] = list(ATTRIBUTES)
        metrics["styles"] = sorted({t.style for t in splits["train"]})
        save_checkpoint(model, kind, args.out / f"{kind}.safetensors", metrics, extra)
        log(f"[{kind}] saved {args.out / f'{kind}.safetensors'}: {metrics}")
    if world > 1:
        import torch.distributed as dist

        dist.destroy_process_group()


if __name__ == "__main__":
    main()
