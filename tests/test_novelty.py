"""The novelty guard: copies of training melodies are found, and the generator steers away from them."""

from __future__ import annotations

import numpy as np

from generators.melody_encoder_decoder import score_notes_to_tokens, tokens_to_notes
from generators.neural import NeuralGenerator
from generators.novelty_lib import build_index, events_of, load_index, longest_copy_steps
from generators.registry import load_neural
from music.spec import MusicSpec

# "Ode to Joy", first four bars in steps (quarter = 4)
ODE_P = np.array([64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 64, 62, 62])
ODE_O = np.array([0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 54, 56])
ODE_E = np.append(ODE_O[1:], 64)


def test_events_ignore_transposition():
    assert np.array_equal(events_of(ODE_P, ODE_O), events_of(ODE_P + 5, ODE_O))
    assert not np.array_equal(events_of(ODE_P, ODE_O), events_of(ODE_P, ODE_O * 2))


def test_copy_is_found_in_any_key_and_unrelated_tunes_are_not():
    index = build_index([(ODE_P, ODE_O), (np.array([60, 67, 72, 60]), np.array([0, 8, 16, 24]))], k=5)
    assert longest_copy_steps(ODE_P + 7, ODE_O, ODE_E, index, 5) == 64  # all four bars
    half = slice(0, 9)
    assert longest_copy_steps(ODE_P[half], ODE_O[half], ODE_E[half], index, 5) == int(ODE_E[8] - ODE_O[0])
    rng = np.random.default_rng(0)
    other = 60 + rng.integers(-12, 12, 16)
    assert longest_copy_steps(other, np.arange(16) * 2, np.arange(1, 17) * 2, index, 5) == 0


def test_shipped_index_knows_the_training_tunes():
    from generators.corpus_io import load_tunes
    from generators.melody_lib import split_of

    shipped = load_index()
    assert shipped is not None
    index, k = shipped
    tunes = load_tunes()
    train = next(t for t in tunes if split_of(t) == "train" and len(t.pitches) > 40)
    ends = train.onsets + train.durations
    assert longest_copy_steps(train.pitches, train.onsets, ends, index, k) >= ends[-1] - train.onsets[0] - 1


def test_generator_avoids_a_candidate_that_copies():
    base = load_neural(composer="vae")
    spec = MusicSpec(bars=8, key="D", mode="major", time_signature="4/4")
    first = base.compose(spec, [], seed=3)
    toks = score_notes_to_tokens(first.notes, 2, 8 * 16)
    notes = tokens_to_notes(toks)
    index = build_index([(np.array([n[0] for n in notes]), np.array([n[1] for n in notes]))], k=5)
    guarded = NeuralGenerator(base.vae, base.lstm, base.cnn, base.attr_vectors, base.attributes,
                              base.trained_styles, device=base.device, novelty_index=(index, 5))
    again = guarded.compose(spec, [], seed=3)
    assert [(n.pitch, n.start) for n in again.notes] != [(n.pitch, n.start) for n in first.notes]
    assert again.info["copied_bars_max"] <= guarded.max_copy_bars
    assert again.info["candidates_over_copy_limit"] >= 1
