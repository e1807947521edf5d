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

    # the same signatures as generators.neural.NeuralGenerator: melodies in, each carrying its latent
    def interpolate(self, spec, chords, a, b, t, seed=0):
        assert a.notes and b.notes, "the stored melodies travel with their latents"
        self.calls.append(("interpolate", list(a.latent), list(b.latent), t))
        res = super().compose(spec, chords, seed + 17)
        return MelodyResult(res.notes, [x + (y - x) * t for x, y in zip(a.latent, b.latent, strict=True)], self.name)

    def nudge(self, spec, chords, previous, attribute, amount, seed=0):
        self.calls.append(("nudge", list(previous.latent), {attribute: amount}))
        res = super().compose(spec, chords, seed + 29)
        bump = amount if attribute == "valence" else 0.0
        return MelodyResult(res.notes, [previous.latent[0] + bump, previous.latent[1]], self.name)


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
    assert "similar" in r.reply and "latent" in r.reply


def test_the_shipped_vae_blends_nudges_and_varies_through_the_chat(tmp_path):
    """The real NeuralGenerator (not the double): its signatures must fit the chat's calls."""
    from generators.registry import load_generator

    gen = load_generator("auto")
    if gen.name == "baseline":
        pytest.skip("the shipped checkpoints did not load")
    engine = ChatEngine(SessionStore(tmp_path / "db.sqlite"), tmp_path / "files", generator=gen, audio=False,
                        sheets=False)
    engine.turn("v", "a happy folk tune in G major, 4 bars", seed=1)
    engine.turn("v", "try again", seed=2)
    for message in ("blend version 1 and 2", "make it more energetic", "happier and higher", "give me a variation"):
        r = engine.turn("v", message)
        assert r.intent != "error" and r.new_version, (message, r.reply)
        assert engine.store.get("v", r.version).latent, message
    assert [n for n, *_ in engine.store.list_versions("v")] == [1, 2, 3, 4, 5, 6]


def test_a_nudge_keeps_every_part_when_two_share_a_role(chat):
    """Guitar and piano both play chords: after "sadder" each keeps its own instrument and rhythm (the
    notes move to minor: a sadder major piece goes to its parallel minor)."""
    import pretty_midi

    engine, _ = chat
    engine.turn("s", "a pop song with acoustic guitar, 8 bars", seed=5)
    before = engine.turn("s", "add a piano")
    after = engine.turn("s", "more melancholic")
    assert after.new_version

    def parts(r):
        pm = pretty_midi.PrettyMIDI(str(r.files["midi"]))
        return {(i.program, i.is_drum): [(n.pitch, round(n.start, 3)) for n in i.notes] for i in pm.instruments}

    old, new = parts(before), parts(after)
    assert (0, False) in new and (25, False) in new and set(old) == set(new)
    rhythm_old = {k: [t for _, t in v] for k, v in old.items() if k[0] in (0, 25)}
    rhythm_new = {k: [t for _, t in v] for k, v in new.items() if k[0] in (0, 25)}
    assert rhythm_old == rhythm_new
    assert after.spec["mode"] == "minor" and before.spec["mode"] == "major"
