"""The VAE code paths of the conversation (blend, nudge, variation), driven by a test double.

``LatentDouble`` is NOT a model: it is the rule-based baseline that also returns
and records latent codes, so these tests can check that the engine passes the
right latents to ``interpolate``/``nudge`` and stores what comes back. The real
VAE plugs into the same calls through ``generators.registry.load_generator``.
"""

from __future__ import annotations

import pytest

from assistant.chat import ChatEngine
from assistant.store import SessionStore
from generators.base import MelodyResult
from generators.baseline import BaselineGenerator


class LatentDouble(BaselineGenerator):
    name = "latent-test-double"

    def __init__(self):
        self.calls: list[tuple] = []

    def compose(self, spec, chords, seed):
        res = super().compose(spec, chords, seed)
        return MelodyResult(res.notes, [float(seed), 1.0], self.name)

    def variation(self, spec, chords, previous, amount, seed):
        res = super().variation(spec, chords, previous, amount, seed)
        self.calls.append(("variation", previous.latent))
        return MelodyResult(res.notes, [x + 0.1 for x in previous.latent or [0.0, 0.0]], self.name)

    def interpolate(self, spec, chords, a, b, t, seed):
        self.calls.append(("interpolate", list(a), list(b), t))
        res = super().compose(spec, chords, seed + 17)
        return MelodyResult(res.notes, [x + (y - x) * t for x, y in zip(a, b, strict=True)], self.name)

    def nudge(self, spec, chords, latent, deltas, seed):
        self.calls.append(("nudge", list(latent), dict(deltas)))
        res = super().compose(spec, chords, seed + 29)
        return MelodyResult(res.notes, [latent[0] + deltas.get("valence", 0.0), latent[1]], self.name)


@pytest.fixture
def chat(tmp_path):
    gen = LatentDouble()
    return ChatEngine(SessionStore(tmp_path / "db.sqlite"), tmp_path / "files", generator=gen, audio=False,
                      sheets=False), gen


def test_blend_interpolates_the_two_stored_latents(chat):
    engine, gen = chat
    engine.turn("s", "a calm piano piece in C major at 80 bpm, 8 bars", seed=2)
    engine.turn("s", "try again", seed=6)
    r = engine.turn("s", "blend version 1 and 2")
    assert r.intent == "blend" and r.new_version and r.version == 3
    assert ("interpolate", [2.0, 1.0], [6.0, 1.0], 0.5) in gen.calls
    assert engine.store.get("s", 3).latent == [4.0, 1.0]
    assert "1" in r.reply and "2" in r.reply and "latent" in r.reply


def test_happier_nudges_the_latent_instead_of_recomposing(chat):
    engine, gen = chat
    engine.turn("s", "a calm piano piece in C major at 80 bpm, 8 bars", seed=3)
    r = engine.turn("s", "happier")
    assert r.new_version and r.version == 2
    kind, latent, deltas = next(c for c in gen.calls if c[0] == "nudge")
    assert latent == [3.0, 1.0] and deltas.get("valence", 0) > 0
    assert engine.store.get("s", 2).latent[0] > 3.0
    assert "latent" in r.reply


def test_variation_reports_a_nearby_latent(chat):
    engine, gen = chat
    engine.turn("s", "a calm piano piece in C major at 80 bpm, 8 bars", seed=4)
    r = engine.turn("s", "give me a variation")
    assert r.new_version and ("variation", [4.0, 1.0]) in gen.calls
    assert engine.store.get("s", 2).latent == pytest.approx([4.1, 1.1])
    assert "nearby point" in r.reply
