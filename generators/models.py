"""The three networks: a conditional MusicVAE-style VAE, a conditional LSTM, a CNN judge.

Each model is rebuilt from its ``@dataclass`` config, which is saved inside its
checkpoint (see ``checkpoint_io``). Every step of a melody sees the previous
token, the chord sounding at that step (12-dim chroma relative to the tonic),
its position in the bar, and the request's conditioning vector
(``music.conditioning``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from generators.melody_encoder_decoder import BOS, N_POS, VOCAB
from music.conditioning import COND_DIM, METER_CLASSES, STYLES


@dataclass
class VAEConfig:
    vocab: int = VOCAB
    cond_dim: int = COND_DIM
    n_pos: int = N_POS
    emb_dim: int = 64
    pos_dim: int = 16
    enc_hidden: int = 128
    dec_hidden: int = 256
    z_dim: int = 64
    dropout: float = 0.1
    max_steps: int = 128


@dataclass
class LSTMConfig:
    vocab: int = VOCAB
    cond_dim: int = COND_DIM
    n_pos: int = N_POS
    emb_dim: int = 64
    pos_dim: int = 16
    hidden: int = 192
    layers: int = 2
    dropout: float = 0.1
    max_steps: int = 128


def _default_heads() -> dict[str, int]:
    return {"mode": 2, "meter": len(METER_CLASSES), "density": 3, "valence": 3, "arousal": 3,
            "style": len(STYLES)}


@dataclass
class CNNConfig:
    n_pitch: int = 60
    low_pitch: int = 36
    n_steps: int = 128
    channels: tuple[int, ...] = (16, 32, 64)
    hidden: int = 96
    pc_filters: int = 24
    dropout: float = 0.2
    heads: dict[str, int] = field(default_factory=_default_heads)


def shift_right(tokens: torch.Tensor) -> torch.Tensor:
    """Previous-token inputs for teacher forcing: BOS then tokens[:-1]."""
    bos = torch.full_like(tokens[:, :1], BOS)
    return torch.cat([bos, tokens[:, :-1]], dim=1)


class StepInput(nn.Module):
    """Embeds (previous token, chord chroma, bar position) of every step."""

    def __init__(self, vocab: int, n_pos: int, emb_dim: int, pos_dim: int):
        super().__init__()
        self.tok = nn.Embedding(vocab, emb_dim)
        self.pos = nn.Embedding(n_pos, pos_dim)
        self.dim = emb_dim + 12 + pos_dim

    def forward(self, tokens: torch.Tensor, chroma: torch.Tensor, pos: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.tok(tokens), chroma, self.pos(pos)], dim=-1)


class MelodyVAE(nn.Module):
    """Bidirectional GRU encoder -> z -> GRU decoder conditioned on z, attributes and chords."""

    def __init__(self, cfg: VAEConfig):
        super().__init__()
        self.cfg = cfg
        self.enc_in = StepInput(cfg.vocab, cfg.n_pos, cfg.emb_dim, cfg.pos_dim)
        self.dec_in = StepInput(cfg.vocab, cfg.n_pos, cfg.emb_dim, cfg.pos_dim)
        self.encoder = nn.GRU(self.enc_in.dim, cfg.enc_hidden, batch_first=True, bidirectional=True)
        self.to_mu = nn.Linear(2 * cfg.enc_hidden, cfg.z_dim)
        self.to_logvar = nn.Linear(2 * cfg.enc_hidden, cfg.z_dim)
        self.init_h = nn.Linear(cfg.z_dim + cfg.cond_dim, cfg.dec_hidden)
        self.decoder = nn.GRU(self.dec_in.dim + cfg.z_dim + cfg.cond_dim, cfg.dec_hidden, batch_first=True)
        self.drop = nn.Dropout(cfg.dropout)
        self.out = nn.Linear(cfg.dec_hidden, cfg.vocab)

    def encode(self, tokens, chroma, pos, mask) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.enc_in(tokens, chroma, pos)
        lengths = mask.sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h = self.encoder(packed)  # (2, B, H)
        h = torch.cat([h[0], h[1]], dim=-1)
        return self.to_mu(h), self.to_logvar(h).clamp(-8.0, 4.0)

    def initial_state(self, z: torch.Tensor, cond: torch.Tensor) -> torch.Tensor:
        return torch.tanh(self.init_h(torch.cat([z, cond], dim=-1))).unsqueeze(0)

    def decode(self, z, cond, prev_tokens, chroma, pos, h=None) -> tuple[torch.Tensor, torch.Tensor]:
        """Logits for every step given previous tokens (teacher forcing or one sampling step)."""
        if h is None:
            h = self.initial_state(z, cond)
        T = prev_tokens.shape[1]
        zc = torch.cat([z, cond], dim=-1).unsqueeze(1).expand(-1, T, -1)
        x = torch.cat([self.dec_in(prev_tokens, chroma, pos), zc], dim=-1)
        y, h = self.decoder(x, h)
        return self.out(self.drop(y)), h

    def forward(self, tokens, chroma, pos, mask, cond):
        mu, logvar = self.encode(tokens, chroma, pos, mask)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar) if self.training else mu
        logits, _ = self.decode(z, cond, shift_right(tokens), chroma, pos)
        return logits, mu, logvar


class MelodyLSTM(nn.Module):
    """Autoregressive melody model conditioned on chords, attributes and bar position."""

    def __init__(self, cfg: LSTMConfig):
        super().__init__()
        self.cfg = cfg
        self.step_in = StepInput(cfg.vocab, cfg.n_pos, cfg.emb_dim, cfg.pos_dim)
        self.cond_proj = nn.Linear(cfg.cond_dim, 32)
        self.lstm = nn.LSTM(self.step_in.dim + 32, cfg.hidden, num_layers=cfg.layers, batch_first=True,
                            dropout=cfg.dropout if cfg.layers > 1 else 0.0)
        self.drop = nn.Dropout(cfg.dropout)
        self.out = nn.Linear(cfg.hidden, cfg.vocab)

    def forward(self, prev_tokens, chroma, pos, cond, state=None):
        T = prev_tokens.shape[1]
        c = torch.tanh(self.cond_proj(cond)).unsqueeze(1).expand(-1, T, -1)
        y, state = self.lstm(torch.cat([self.step_in(prev_tokens, chroma, pos), c], dim=-1), state)
        return self.out(self.drop(y)), state


class AttributeCNN(nn.Module):
    """Classifies a piano roll (sustain + onset channels) into attribute bins, given the tempo."""

    def __init__(self, cfg: CNNConfig):
        super().__init__()
        self.cfg = cfg
        layers: list[nn.Module] = []
        c_in = 2
        for i, c in enumerate(cfg.channels):
            stride = (1, 2) if i == 0 else (1, 1)  # halve time first: sixteenths -> eighths
            layers += [nn.Conv2d(c_in, c, kernel_size=(3, 5), stride=stride, padding=(1, 2)),
                       nn.BatchNorm2d(c), nn.GELU(), nn.MaxPool2d((2, 2))]
            c_in = c
        self.features = nn.Sequential(*layers)
        # Pitch-class view: learned key profiles matched at all 12 rotations (max over rotations), so
        # mode is visible whatever the key -- a learnable Krumhansl-Schmuckler.
        self.pc_profiles = nn.Conv1d(2, cfg.pc_filters, kernel_size=12)
        self.trunk = nn.Sequential(nn.Linear(2 * c_in + cfg.pc_filters + 1, cfg.hidden), nn.GELU(),
                                   nn.Dropout(cfg.dropout))
        self.heads = nn.ModuleDict({k: nn.Linear(cfg.hidden, n) for k, n in cfg.heads.items()})

    def forward(self, roll: torch.Tensor, tempo_feature: torch.Tensor) -> dict[str, torch.Tensor]:
        f = self.features(roll)
        pooled = torch.cat([f.mean(dim=(2, 3)), f.amax(dim=(2, 3))], dim=-1)
        B, _, P, _ = roll.shape
        pc = roll.sum(-1)  # (B, 2, P)
        pad = (-P) % 12
        pc = F.pad(pc, (0, pad)).view(B, 2, -1, 12).sum(2)
        pc = pc / pc.sum(-1, keepdim=True).clamp(min=1e-6)
        circ = torch.cat([pc, pc[..., :11]], dim=-1)  # circular padding: 12 rotations
        prof = self.pc_profiles(circ).amax(-1)
        h = self.trunk(torch.cat([pooled, prof, tempo_feature.view(-1, 1)], dim=-1))
        return {k: head(h) for k, head in self.heads.items()}
