"""NeuralGenerator: the VAE and LSTM write melodies, the CNN judge picks the best candidate.

Candidates are sampled together in one batch (on CUDA when present) under the
request's constraints (``sampling_lib``), then reranked by the judge's
agreement with the requested attributes plus music rules (key clarity, chord
tones on strong beats, melodic motion) and the model's own likelihood.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable

import numpy as np
import torch

from generators.base import MelodyResult
from generators.melody_encoder_decoder import (
    BOS,
    PITCH_OFFSET,
    rolls_from_tokens,
    score_notes_to_tokens,
    token_to_pitch,
    tokens_to_notes,
    tokens_to_score_notes,
)
from generators.melody_lib import STEPS_PER_BEAT, bin3
from generators.models import AttributeCNN, MelodyLSTM, MelodyVAE
from generators.novelty_lib import longest_copy_steps
from generators.sampling_lib import RequestContext, build_context, rhythm_schedule, rule_score
from music.conditioning import METER_CLASSES, STYLES, meter_class
from music.score import ChordEvent, Note
from music.spec import MusicSpec
from music.theory import is_major_like

ATTRIBUTE_ALIASES = {
    "valence": "valence", "happier": "valence", "brighter": "valence",
    "arousal": "arousal", "energy": "arousal", "energetic": "arousal",
    "density": "density", "busier": "density",
    "register": "register", "higher": "register", "pitch": "register",
}
_COND_IDX = {"valence": 0, "arousal": 1, "density": 4, "register": 5}


@contextlib.contextmanager
def _single_thread(device: str):
    """Sampling runs many tiny ops: one CPU thread avoids thread hand-off, ten times faster on a busy CPU."""
    if device != "cpu":
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _sampling(method):
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        with _single_thread(self.device), torch.no_grad():
            return method(self, *args, **kwargs)
    return wrapper


def pick_device() -> str:
    return "cuda" if torch.cuda.is_available() else "cpu"


def _top_p_sample(logits: torch.Tensor, top_p: float, gen: torch.Generator) -> torch.Tensor:
    probs = torch.softmax(logits, dim=-1)
    if top_p < 1.0:
        sp, si = torch.sort(probs, descending=True, dim=-1)
        keep = (sp.cumsum(-1) - sp) < top_p
        sp = sp * keep
        probs = torch.zeros_like(probs).scatter(-1, si, sp)
    probs = probs / probs.sum(-1, keepdim=True).clamp(min=1e-12)
    return torch.multinomial(probs, 1, generator=gen).squeeze(-1)


def _slerp(a: torch.Tensor, b: torch.Tensor, t: float) -> torch.Tensor:
    an, bn = a / a.norm(dim=-1, keepdim=True).clamp(min=1e-8), b / b.norm(dim=-1, keepdim=True).clamp(min=1e-8)
    omega = torch.acos((an * bn).sum(-1, keepdim=True).clamp(-0.9999, 0.9999))
    so = torch.sin(omega)
    return torch.sin((1 - t) * omega) / so * a + torch.sin(t * omega) / so * b


class NeuralGenerator:
    """MelodyGenerator backed by the shipped VAE, LSTM and CNN judge."""

    def __init__(self, vae: MelodyVAE, lstm: MelodyLSTM, cnn: AttributeCNN | None, attr_vectors: torch.Tensor,
                 attributes: list[str], trained_styles: tuple[str, ...] = STYLES, composer: str = "vae",
                 n_candidates: int = 8, temperature: float = 0.9, top_p: float = 0.95, device: str | None = None,
                 z_temperature: float = 1.0, judge_weight: float = 1.0,
                 novelty_index: tuple[np.ndarray, int] | None = None, max_copy_bars: float = 3.0):
        self.device = device or pick_device()
        self.vae, self.lstm, self.cnn = vae.to(self.device), lstm.to(self.device), cnn
        if cnn is not None:
            self.cnn = cnn.to(self.device)
        self.attr_vectors = attr_vectors.to(self.device)
        self.attributes = list(attributes)
        self.trained_styles = trained_styles
        self.composer = composer
        self.name = f"neural-{composer}"
        self.n_candidates = n_candidates
        self.temperature = temperature
        self.top_p = top_p
        self.z_temperature = z_temperature  # scale of prior samples: < 1 stays nearer typical melodies
        self.judge_weight = judge_weight
        self.novelty_index = novelty_index  # (sorted window hashes, k) of the training melodies
        self.max_copy_bars = max_copy_bars  # a candidate copying more than this loses to any that doesn't

    # ---- shared pieces -------------------------------------------------------------------------
    def _context(self, spec: MusicSpec, chords, n_steps: int, start_beat: float = 0.0, **kw) -> RequestContext:
        return build_context(spec, chords, n_steps, start_beat, self.trained_styles, **kw)

    def _inputs(self, ctx: RequestContext, batch: int, cond: np.ndarray | None = None):
        dev = self.device
        chroma = torch.as_tensor(ctx.chroma, device=dev).unsqueeze(0).expand(batch, -1, -1)
        pos = torch.as_tensor(ctx.pos, device=dev).unsqueeze(0).expand(batch, -1)
        c = torch.as_tensor(ctx.cond if cond is None else cond, device=dev, dtype=torch.float32)
        c = c.unsqueeze(0).expand(batch, -1) if c.dim() == 1 else c
        return chroma, pos, c

    def _window_bars(self, ctx: RequestContext) -> int:
        return max(1, min(8, self.vae.cfg.max_steps // ctx.steps_per_bar))

    @torch.no_grad()
    def _sample(self, step: Callable, state, ctx: RequestContext, batch: int, gen: torch.Generator,
                temperature: float, forced: np.ndarray | None = None, t0: int = 0, t1: int | None = None,
                prev: torch.Tensor | None = None):
        """Sample steps ``t0..t1`` of ``ctx``; ``forced`` tokens (>= 0) are fed instead of sampled."""
        t1 = ctx.n_steps if t1 is None else t1
        mask = torch.as_tensor(ctx.mask[t0:t1], device=self.device)
        prev = torch.full((batch, 1), BOS, dtype=torch.long, device=self.device) if prev is None else prev
        out = torch.empty((batch, t1 - t0), dtype=torch.long, device=self.device)
        logp = torch.zeros(batch, device=self.device)
        for i, t in enumerate(range(t0, t1)):
            logits, state = step(prev, t, state)
            logits = logits.masked_fill(~mask[i], float("-inf"))
            if forced is not None and forced[t] >= 0:
                tok = torch.full((batch,), int(forced[t]), dtype=torch.long, device=self.device)
            else:
                if forced is not None:  # a slot: only pitches
                    logits[:, :PITCH_OFFSET] = float("-inf")
                    if torch.isinf(logits).all():
                        logits[:, PITCH_OFFSET:] = 0.0
                tok = _top_p_sample(logits / max(temperature, 1e-3), self.top_p, gen)
            lp = torch.log_softmax(logits, -1).gather(1, tok[:, None]).squeeze(1)
            if forced is not None:  # a forced token may lie outside the mask
                lp = torch.where(torch.isfinite(lp), lp, torch.zeros_like(lp))
            logp += lp
            out[:, i] = tok
            prev = tok[:, None]
        return out, logp / max(1, t1 - t0), state

    def _vae_step(self, z: torch.Tensor, chroma, pos, cond):
        """One decoder step; everything but the previous token is embedded once per window."""
        T = chroma.shape[1]
        zc = torch.cat([z, cond], dim=-1).unsqueeze(1).expand(-1, T, -1)
        static = torch.cat([chroma, self.vae.dec_in.pos(pos), zc], dim=-1)
        tok, gru, out = self.vae.dec_in.tok, self.vae.decoder, self.vae.out

        def step(prev, t, h):
            y, h = gru(torch.cat([tok(prev), static[:, t:t + 1]], dim=-1), h)
            return out(y[:, -1]), h
        return step

    def _lstm_step(self, chroma, pos, cond):
        T = chroma.shape[1]
        c = torch.tanh(self.lstm.cond_proj(cond)).unsqueeze(1).expand(-1, T, -1)
        static = torch.cat([chroma, self.lstm.step_in.pos(pos), c], dim=-1)
        tok, lstm, out = self.lstm.step_in.tok, self.lstm.lstm, self.lstm.out

        def step(prev, t, state):
            y, state = lstm(torch.cat([tok(prev), static[:, t:t + 1]], dim=-1), state)
            return out(y[:, -1]), state
        return step

    @torch.no_grad()
    def _decode_latents(self, zs: torch.Tensor, ctx: RequestContext, gen, temperature: float, cond=None):
        """Tokens for latents ``zs`` (B, K, z): window k of every candidate decoded from ``zs[:, k]``."""
        B, K, _ = zs.shape
        wsteps = self._window_bars(ctx) * ctx.steps_per_bar
        chroma, pos, c = self._inputs(ctx, B, cond)
        toks, lps = [], []
        for k in range(K):
            t0, t1 = k * wsteps, min(ctx.n_steps, (k + 1) * wsteps)
            if t0 >= t1:
                break
            z = zs[:, k]
            h = self.vae.initial_state(z, c)
            out, lp, _ = self._sample(self._vae_step(z, chroma, pos, c), h, ctx, B, gen, temperature, t0=t0, t1=t1)
            toks.append(out)
            lps.append(lp)
        return torch.cat(toks, 1), torch.stack(lps, 1).mean(1)

    @torch.no_grad()
    def judge(self, tokens: np.ndarray, ctx: RequestContext, spec: MusicSpec) -> np.ndarray:
        """Mean log-probability the CNN gives the requested attribute bins, per candidate."""
        if self.cnn is None:
            return np.zeros(len(tokens))
        roll = torch.as_tensor(rolls_from_tokens(tokens, np.full(len(tokens), ctx.tonic_pc),
                                                 self.cnn.cfg.low_pitch, self.cnn.cfg.n_pitch), device=self.device)
        tempo = torch.full((len(tokens),), float(ctx.cond[2]), device=self.device)
        out = self.cnn(roll, tempo)
        want = {"mode": int(is_major_like(spec.mode)), "valence": bin3(float(ctx.cond[0])),
                "arousal": bin3(float(ctx.cond[1])), "density": bin3(float(ctx.cond[4]))}
        try:
            want["meter"] = METER_CLASSES.index(meter_class(spec.time_signature))
        except ValueError:
            pass
        score = sum(torch.log_softmax(out[k], -1)[:, v] for k, v in want.items()) / len(want)
        return score.float().cpu().numpy()

    def _rerank(self, tokens: torch.Tensor, logp: torch.Tensor, ctx: RequestContext, spec: MusicSpec):
        toks = tokens.cpu().numpy()
        judge = self.judge(toks, ctx, spec)
        rules = [rule_score(t, ctx) for t in toks]
        total = np.array([r["total"] for r in rules]) + self.judge_weight * judge + 0.5 * logp.cpu().numpy()
        copied = self.copied_bars(toks, ctx.steps_per_bar)
        over = copied > self.max_copy_bars
        total = np.where(over, total - 100.0 - copied, total)  # any candidate under the limit wins
        best = int(np.argmax(total))
        info = {"candidates": len(toks), "judge": float(judge[best]), "rules": rules[best],
                "loglik_per_step": float(logp[best]), "device": self.device,
                "copied_bars_max": float(copied[best]), "candidates_over_copy_limit": int(over.sum())}
        return best, info

    def copied_bars(self, tokens: np.ndarray, steps_per_bar: int) -> np.ndarray:
        """Per candidate: upper bound on the bars copied note-for-note from one training melody."""
        if self.novelty_index is None:
            return np.zeros(len(tokens))
        index, k = self.novelty_index
        out = []
        for row in tokens:
            notes = tokens_to_notes(row)
            p = np.array([n[0] for n in notes])
            o = np.array([n[1] for n in notes])
            e = o + np.array([n[2] for n in notes])
            out.append(longest_copy_steps(p, o, e, index, k) / steps_per_bar)
        return np.array(out, dtype=float)

    def _generator(self, seed: int) -> torch.Generator:
        g = torch.Generator(device=self.device)
        g.manual_seed(int(seed) & 0x7FFFFFFF)
        return g

    def _n_windows(self, ctx: RequestContext) -> int:
        return math.ceil(ctx.n_steps / (self._window_bars(ctx) * ctx.steps_per_bar))

    def _result(self, tokens: np.ndarray, ctx: RequestContext, latent, info: dict) -> MelodyResult:
        notes = tokens_to_score_notes(tokens, ctx.tonic_pc, start_beat=ctx.start_beat)
        lat = None if latent is None else latent.flatten().tolist()
        return MelodyResult(notes=notes, latent=lat, generator=self.name, info=info)

    # ---- the MelodyGenerator protocol --------------------------------------------------------------
    @_sampling
    def compose(self, spec: MusicSpec, chords: list[ChordEvent], seed: int) -> MelodyResult:
        ctx = self._context(spec, chords, max(1, int(spec.bars)) * self._spb(spec))
        gen = self._generator(seed)
        B = self.n_candidates
        if self.composer == "lstm":
            chroma, pos, c = self._inputs(ctx, B)
            toks, lp, _ = self._sample(self._lstm_step(chroma, pos, c), None, ctx, B, gen, self.temperature)
            best, info = self._rerank(toks, lp, ctx, spec)
            return self._result(toks[best].cpu().numpy(), ctx, None, info)
        K = self._n_windows(ctx)
        zdim = self.vae.cfg.z_dim
        z0 = self.z_temperature * torch.randn((B, 1, zdim), generator=gen, device=self.device)
        eps = self.z_temperature * torch.randn((B, K, zdim), generator=gen, device=self.device)
        zs = math.sqrt(1 - 0.5 ** 2) * z0 + 0.5 * eps  # related phrases: one theme, varied windows
        zs[:, 0] = z0[:, 0]
        toks, lp = self._decode_latents(zs, ctx, gen, self.temperature)
        best, info = self._rerank(toks, lp, ctx, spec)
        info["windows"] = K
        return self._result(toks[best].cpu().numpy(), ctx, zs[best], info)

    def _spb(self, spec: MusicSpec) -> int:
        from generators.sampling_lib import safe_steps_per_bar

        return safe_steps_per_bar(spec)

    @_sampling
    def fill_rhythm(self, spec: MusicSpec, chords: list[ChordEvent], rhythm: list[tuple[float, float]],
                    seed: int) -> list[int]:
        if not rhythm:
            return []
        spb = self._spb(spec)
        end = max(float(s) + float(d) for s, d in rhythm)
        n_bars = max(int(spec.bars), math.ceil(end * STEPS_PER_BEAT / spb))
        ctx = self._context(spec, chords, n_bars * spb, cadence=False)
        forced, slots = rhythm_schedule(rhythm, ctx.n_steps)
        B = self.n_candidates
        chroma, pos, c = self._inputs(ctx, B)
        toks, lp, _ = self._sample(self._lstm_step(chroma, pos, c), None, ctx, B, self._generator(seed),
                                   self.temperature * 0.9, forced=forced)
        best, _ = self._rerank(toks, lp, ctx, spec)
        row = toks[best].cpu().numpy()
        return [int(np.clip(token_to_pitch(row[s]) + ctx.tonic_pc, 0, 127)) if row[s] >= PITCH_OFFSET
                else 60 + ctx.tonic_pc for s in slots]

    @_sampling
    def continue_melody(self, spec: MusicSpec, chords: list[ChordEvent], notes: list[Note], extra_bars: int,
                        seed: int) -> list[Note]:
        extra_bars = max(0, int(extra_bars))
        if extra_bars == 0:
            return []
        spb = self._spb(spec)
        bar_beats = spb / STEPS_PER_BEAT
        end = max((n.start + n.duration for n in notes), default=0.0)
        done_bars = max(0, math.ceil(end / bar_beats - 1e-6))
        start_beat = done_bars * bar_beats
        ctx = self._context(spec, chords, extra_bars * spb, start_beat)
        B = self.n_candidates
        chroma, pos, c = self._inputs(ctx, B)
        state, prev = None, None
        if notes and done_bars:
            prime_ctx = self._context(spec, chords, done_bars * spb, 0.0, cadence=False)
            ptoks = torch.as_tensor(score_notes_to_tokens(notes, ctx.tonic_pc, prime_ctx.n_steps),
                                    device=self.device).unsqueeze(0)
            pch, ppos, pc = self._inputs(prime_ctx, 1)
            prev_in = torch.cat([torch.full((1, 1), BOS, device=self.device, dtype=torch.long), ptoks[:, :-1]], 1)
            with torch.no_grad():
                _, state = self.lstm(prev_in, pch, ppos, pc, None)
            state = tuple(s.expand(-1, B, -1).contiguous() for s in state)
            prev = ptoks[:, -1:].expand(B, 1).contiguous()
        toks, lp, _ = self._sample(self._lstm_step(chroma, pos, c), state, ctx, B, self._generator(seed),
                                   self.temperature, prev=prev)
        best, _ = self._rerank(toks, lp, ctx, spec)
        return tokens_to_score_notes(toks[best].cpu().numpy(), ctx.tonic_pc, start_beat=start_beat)

    # ---- latent-space operations --------------------------------------------------------------------
    @torch.no_grad()
    def encode(self, spec: MusicSpec, chords: list[ChordEvent], notes: list[Note]) -> torch.Tensor:
        """Posterior means (K, z) of a melody's windows."""
        ctx = self._context(spec, chords, max(1, int(spec.bars)) * self._spb(spec), cadence=False)
        wsteps = self._window_bars(ctx) * ctx.steps_per_bar
        toks = score_notes_to_tokens(notes, ctx.tonic_pc, ctx.n_steps)
        chroma, pos, _ = self._inputs(ctx, 1)
        zs = []
        for t0 in range(0, ctx.n_steps, wsteps):
            t1 = min(ctx.n_steps, t0 + wsteps)
            tk = torch.as_tensor(toks[t0:t1], device=self.device).unsqueeze(0)
            mask = torch.ones_like(tk, dtype=torch.bool)
            mu, _ = self.vae.encode(tk, chroma[:, t0:t1], pos[:, t0:t1], mask)
            zs.append(mu[0])
        return torch.stack(zs)

    def _latent_of(self, spec, chords, res: MelodyResult) -> torch.Tensor:
        ctx = self._context(spec, chords, max(1, int(spec.bars)) * self._spb(spec))
        K = self._n_windows(ctx)
        if res.latent is not None and len(res.latent) == K * self.vae.cfg.z_dim:
            return torch.as_tensor(res.latent, device=self.device, dtype=torch.float32).view(K, -1)
        return self.encode(spec, chords, res.notes)

    def _decode_one(self, spec, chords, zs: torch.Tensor, seed: int, temperature: float, info: dict,
                    cond_delta: dict[str, float] | None = None, register_shift: float = 0.0) -> MelodyResult:
        ctx = self._context(spec, chords, max(1, int(spec.bars)) * self._spb(spec), register_shift=register_shift)
        cond = ctx.cond.copy()
        for k, v in (cond_delta or {}).items():
            cond[_COND_IDX[k]] = float(np.clip(cond[_COND_IDX[k]] + v, -1, 1))
        B = max(2, self.n_candidates // 2)
        z = zs.unsqueeze(0).expand(B, -1, -1)
        toks, lp = self._decode_latents(z, ctx, self._generator(seed), temperature, cond=cond)
        best, rinfo = self._rerank(toks, lp, ctx, spec)
        return self._result(toks[best].cpu().numpy(), ctx, zs, {**rinfo, **info})

    @_sampling
    def variation(self, spec: MusicSpec, chords: list[ChordEvent], previous: MelodyResult, amount: float,
                  seed: int) -> MelodyResult:
        amount = float(np.clip(amount, 0.0, 1.0))
        z = self._latent_of(spec, chords, previous)
        noise = torch.randn(z.shape, generator=self._generator(seed), device=self.device)
        z2 = math.sqrt(1 - amount ** 2) * z + amount * noise
        return self._decode_one(spec, chords, z2, seed, 0.6 + 0.4 * amount, {"variation_amount": amount})

    @_sampling
    def interpolate(self, spec: MusicSpec, chords: list[ChordEvent], a: MelodyResult, b: MelodyResult,
                    t: float, seed: int = 0) -> MelodyResult:
        """A melody between ``a`` (t=0) and ``b`` (t=1), by spherical interpolation of their latents."""
        t = float(np.clip(t, 0.0, 1.0))
        za, zb = self._latent_of(spec, chords, a), self._latent_of(spec, chords, b)
        k = min(len(za), len(zb))
        return self._decode_one(spec, chords, _slerp(za[:k], zb[:k], t), seed, 0.5, {"interpolation_t": t})

    @_sampling
    def nudge(self, spec: MusicSpec, chords: list[ChordEvent], previous: MelodyResult, attribute: str,
              amount: float, seed: int = 0) -> MelodyResult:
        """Move ``previous`` along an attribute direction ("more energetic": arousal +0.5)."""
        attr = ATTRIBUTE_ALIASES.get(str(attribute).lower())
        amount = float(np.clip(amount, -1.0, 1.0))
        z = self._latent_of(spec, chords, previous)
        if attr is None or attr not in self.attributes:
            return self._decode_one(spec, chords, z, seed, 0.5, {"nudge": None})
        vec = self.attr_vectors[self.attributes.index(attr)]
        z2 = z + 1.5 * amount * vec
        shift = 12.0 * amount if attr == "register" else 0.0
        delta = {attr: amount}
        if attr == "arousal":
            delta["density"] = amount
        return self._decode_one(spec, chords, z2, seed, 0.5, {"nudge": {attr: amount}}, delta, shift)
