"""Neural melody generators: data pipeline, tiny training, shipped checkpoints, constraints."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from generators.checkpoint_io import CHECKPOINT_DIR, load_checkpoint, read_metadata, save_checkpoint
from generators.corpus_io import corpus_sources, parse_source, records_to_tunes
from generators.melody_encoder_decoder import (
    notes_to_tokens,
    score_notes_to_tokens,
    tokens_to_notes,
    tokens_to_score_notes,
)
from generators.melody_lib import estimate_key
from generators.models import VAEConfig
from generators.registry import load_generator, load_neural
from generators.train import build_windows, train_model
from music.score import ChordEvent, Note
from music.spec import MusicSpec
from music.theory import chord_symbol, diatonic_triad, scale_pcs


def _chords(tonic: int, mode: str, bars: int, beats: float) -> list[ChordEvent]:
    prog = [1, 4, 5, 1]
    out = []
    for b in range(bars):
        r, q = diatonic_triad(tonic, mode, prog[b % 4])
        out.append(ChordEvent(chord_symbol(r, q), r, q, b * beats, beats))
    return out


@pytest.fixture(scope="module")
def tiny_tunes():
    src = [s for s in corpus_sources() if "/ryansMammoth/" in s[0]][:12]
    src += [s for s in corpus_sources() if s[0].endswith("bwv1.6.mxl")]
    return records_to_tunes([r for s in src for r in parse_source(s)])


@pytest.fixture(scope="module")
def gen():
    return load_neural(composer="vae")


def test_corpus_tunes_are_labelled(tiny_tunes):
    assert len(tiny_tunes) >= 10
    for t in tiny_tunes:
        assert t.mode in ("major", "minor") and 0 <= t.tonic_pc < 12
        assert len(t.chord_roots) >= t.n_steps // 4 - 1
        assert (t.durations > 0).all() and (np.diff(t.onsets) > 0).all()
    chorale = [t for t in tiny_tunes if t.collection == "chorale"]
    assert chorale and chorale[0].style == "chorale"


@pytest.mark.parametrize("kind", ["vae", "lstm", "cnn"])
def test_tiny_model_trains_and_checkpoint_round_trips(kind, tiny_tunes, tmp_path):
    ws = build_windows(tiny_tunes)
    torch.set_num_threads(2)
    cfg = VAEConfig(enc_hidden=32, dec_hidden=48, z_dim=8) if kind == "vae" else None
    model, metrics = train_model(kind, ws, ws, steps=3, batch=8, lr=1e-3, seed=0, device="cpu", cfg=cfg,
                                 log=lambda s: None)
    assert metrics["steps"] == 3
    assert all(np.isfinite(v) for k, v in metrics.items() if k.startswith("valid_"))
    path = tmp_path / f"{kind}.safetensors"
    save_checkpoint(model, kind, path, metrics)
    loaded, info, _ = load_checkpoint(path)
    assert info["steps"] == 3 and type(loaded) is type(model) and loaded.cfg == model.cfg
    for a, b in zip(model.state_dict().values(), loaded.state_dict().values(), strict=True):
        assert torch.equal(a, b)


def test_shipped_checkpoints_rebuild_from_their_config():
    total = 0
    for kind in ("vae", "lstm", "cnn"):
        path = CHECKPOINT_DIR / f"{kind}.safetensors"
        total += path.stat().st_size
        meta = read_metadata(path)
        assert meta["kind"] == kind and meta["config"]
        model, info, _ = load_checkpoint(path)
        assert info["steps"] > 0 and "command" in info
    assert total < 30e6


def test_token_round_trip():
    notes = [(60, 0, 4), (62, 4, 2), (64, 8, 8), (67, 16, 1)]
    toks = notes_to_tokens(*zip(*notes, strict=True), n_steps=20)
    assert tokens_to_notes(toks) == notes
    score_notes = tokens_to_score_notes(toks, tonic_pc=2)
    assert [n.pitch for n in score_notes] == [62, 64, 66, 69]
    assert np.array_equal(score_notes_to_tokens(score_notes, 2, 20), toks)


def test_key_estimate_matches_music21():
    from music21 import note as m21note
    from music21 import stream

    pitches = np.array([62, 64, 65, 67, 69, 65, 62, 61, 62, 69, 62])
    durs = np.array([2, 1, 1, 2, 2, 1, 1, 1, 4, 2, 4])
    s = stream.Stream()
    for p, d in zip(pitches, durs, strict=True):
        s.append(m21note.Note(int(p), quarterLength=float(d)))
    k = s.analyze("key")
    assert estimate_key(pitches, durs) == (k.tonic.pitchClass, k.mode)


def test_compose_is_reproducible_and_in_key(gen):
    spec = MusicSpec(key="D", mode="minor", time_signature="3/4", bars=8, tempo_bpm=80)
    chords = _chords(2, "minor", 8, 3.0)
    a = gen.compose(spec, chords, seed=7)
    b = gen.compose(spec, chords, seed=7)
    c = gen.compose(spec, chords, seed=8)
    assert [(n.pitch, n.start) for n in a.notes] == [(n.pitch, n.start) for n in b.notes]
    assert [(n.pitch, n.start) for n in a.notes] != [(n.pitch, n.start) for n in c.notes]
    scale = set(scale_pcs(2, "minor")) | {1}  # D natural minor plus the leading tone C#
    assert a.notes and all(n.pitch % 12 in scale for n in a.notes)
    assert max(n.end for n in a.notes) <= 8 * 3.0 + 1e-6
    assert a.notes[-1].pitch % 12 == 2  # cadence on the tonic
    assert a.latent is not None and a.info["candidates"] == 8


def test_pentatonic_request_stays_pentatonic(gen):
    spec = MusicSpec(key="G", mode="major_pentatonic", bars=4, style="chinese")
    res = gen.compose(spec, _chords(7, "major", 4, 4.0), seed=1)
    assert res.notes and {n.pitch % 12 for n in res.notes} <= set(scale_pcs(7, "major_pentatonic"))


def test_fill_rhythm_one_pitch_per_slot(gen):
    spec = MusicSpec(key="F", mode="major", bars=4)
    rhythm = [(0.0, 1.0), (1.0, 0.5), (1.5, 0.5), (2.0, 2.0), (4.0, 1.0), (5.0, 3.0), (8.0, 4.0)]
    pitches = gen.fill_rhythm(spec, _chords(5, "major", 4, 4.0), rhythm, seed=3)
    assert len(pitches) == len(rhythm)
    assert all(p % 12 in set(scale_pcs(5, "major")) for p in pitches)
    assert gen.fill_rhythm(spec, [], [], seed=0) == []


def test_continue_melody_starts_after_the_melody(gen):
    spec = MusicSpec(key="C", mode="major", bars=8)
    chords = _chords(0, "major", 8, 4.0)
    first = gen.compose(spec.with_(bars=4), chords[:4], seed=2)
    more = gen.continue_melody(spec, chords, first.notes, 4, seed=2)
    assert more and min(n.start for n in more) >= 16.0 - 1e-6 and max(n.end for n in more) <= 32.0 + 1e-6


def test_variation_nudge_and_interpolate(gen):
    spec = MusicSpec(key="A", mode="minor", bars=8)
    chords = _chords(9, "minor", 8, 4.0)
    a = gen.compose(spec, chords, seed=11)
    v = gen.variation(spec, chords, a, 0.3, seed=1)
    assert v.notes and v.latent is not None
    higher = gen.nudge(spec, chords, a, "higher", 0.8)
    assert np.mean([n.pitch for n in higher.notes]) > np.mean([n.pitch for n in a.notes])
    mid = gen.interpolate(spec, chords, a, v, 0.5)
    assert mid.notes


def test_bad_input_does_not_raise(gen):
    odd = MusicSpec(key="H#", mode="nonsense", time_signature="4/4", bars=2, style="k-pop")
    assert gen.compose(odd, [], seed=0).notes is not None
    assert gen.continue_melody(odd, [], [Note(60, 0.0, 1.0)], 0, seed=0) == []


def test_registry_names():
    assert load_generator("baseline").name == "baseline"
    assert load_generator("auto").name.startswith("neural")
