"""The learned chord model and the progressions a person hears: cadences, style vocabularies, voice leading."""

from __future__ import annotations

import json

import pytest

from music import harmony
from music.chord_model_lib import fit_ngram, fit_unigram, load_model, perplexity, split_corpus
from music.chord_vocab_lib import parse_chord_symbol
from music.conditioning import STYLES
from music.form_lib import form_plan
from music.score import beats_per_bar
from music.spec import MusicSpec
from music.theory import chord_pcs, note_name_to_pc, scale_pcs
from music.train_chords import CORPUS_PATH
from music.voicing_lib import MAX_VOICE_LEAP, inner_voice_leaps, lead_voicings

SEVENTHS = {"7", "maj7", "min7", "m7b5", "dim7", "9", "maj9", "min9"}


def spec_for(style: str, mode: str = "major", meter: str = "4/4", bars: int = 16, key: str = "D") -> MusicSpec:
    return MusicSpec(style=style, mode=mode, time_signature=meter, bars=bars, key=key)


def test_shipped_model_loads_and_beats_baselines_on_held_out_tunes():
    assert load_model() is not None
    records = json.loads(CORPUS_PATH.read_text())["records"]
    train, test = split_corpus(records)
    assert len(test) >= 20
    ngram = fit_ngram(train)
    unigram = fit_unigram(train)
    ppl_ngram = perplexity(test, ngram.prob)
    ppl_unigram = perplexity(test, lambda m, h, t: unigram[m].get(t, 1e-6))
    assert ppl_ngram < 0.8 * ppl_unigram < 0.8 * len(ngram.vocab)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("bars", [1, 4, 16, 32])
def test_progression_covers_the_piece_and_ends_on_the_tonic(style, bars):
    spec = spec_for(style, mode="minor" if style in ("rock", "cinematic") else "major", bars=bars)
    chords = harmony.progression(spec, 7)
    bpb = beats_per_bar(spec.meter)
    assert chords[0].start == 0
    assert sum(c.duration for c in chords) == pytest.approx(bars * bpb)
    assert all(abs(a.start + a.duration - b.start) < 1e-9 for a, b in zip(chords, chords[1:], strict=False))
    assert chords[-1].root == note_name_to_pc("D")


def test_cadences_at_section_ends():
    spec = spec_for("classical", bars=32)
    chords = harmony.progression(spec, 2)
    tonic = note_name_to_pc("D")
    dominant = (tonic + 7) % 12
    for sec in form_plan(32):
        last = harmony.chord_at(chords, (sec.start_bar + sec.bars) * 4 - 0.5)
        if sec.name == "intro":
            assert last.root in (dominant, (tonic + 11) % 12)  # a half cadence leads into A
        elif sec.name == "B" and sec is not form_plan(32)[-2]:
            assert last.root in (tonic, dominant)  # B may end open, on the dominant, before A returns
        else:
            assert last.root == tonic
            before = harmony.chord_at(chords, (sec.start_bar + sec.bars - 1) * 4 - 0.5)
            assert before.root in (dominant, (tonic + 5) % 12, (tonic + 11) % 12)


def test_repeated_sections_repeat_their_chords():
    spec = spec_for("folk", bars=40)
    chords = harmony.progression(spec, 4)
    plan = form_plan(40, song=True)
    verses = [s for s in plan if s.name == "verse"]
    assert len(verses) >= 2
    first, second = (
        [harmony.chord_at(chords, (v.start_bar + b) * 4).symbol for b in range(v.bars - 1)] for v in verses[:2])
    assert first == second


@pytest.mark.parametrize("seed", range(5))
def test_style_vocabularies(seed):
    def qualities(style, mode="major"):
        return [c.quality for c in harmony.progression(spec_for(style, mode), seed)]

    assert set(qualities("jazz", "dorian")) <= SEVENTHS
    assert set(qualities("rock", "minor")) == {"5"}
    assert not set(qualities("chinese", "major_pentatonic")) & {"dim", "m7b5", "dim7", "7"}
    for mode in ("major_pentatonic", "minor"):  # pentatonic roots, and no raised leading tone
        chinese = harmony.progression(spec_for("chinese", mode), seed)
        penta = set(scale_pcs(2, "major_pentatonic" if mode != "minor" else "minor_pentatonic"))
        assert {c.root for c in chinese} <= penta
        assert all(set(chord_pcs(c.root, c.quality)) <= set(scale_pcs(2, "major" if mode != "minor" else "minor"))
                   for c in chinese)
    blues = harmony.progression(spec_for("blues", "blues", bars=12), seed)
    assert [c.quality for c in blues].count("7") + [c.quality for c in blues].count("9") >= 8
    assert {c.root for c in blues} <= {2, 7, 9, 8, 11, 4}  # I, IV, V, the passing #iv, the VI7-ii turnaround
    lofi = set(qualities("lofi", "dorian"))
    assert lofi <= SEVENTHS and lofi & {"maj9", "min9", "7", "min7"}


@pytest.mark.parametrize("mode", ["major", "minor", "dorian", "mixolydian", "lydian"])
def test_chords_fit_the_mode(mode):
    """Folk chords stay in the key; minor keys may raise the leading tone for the dominant."""
    tonic = note_name_to_pc("D")
    scale = set(scale_pcs(tonic, mode))
    if mode == "minor":
        scale.add((tonic + 11) % 12)
    for seed in range(10):
        for c in harmony.progression(spec_for("folk", mode), seed):
            assert set(chord_pcs(c.root, c.quality)) <= scale, (mode, c.symbol)


@pytest.mark.parametrize("style", STYLES)
def test_voice_leading_has_no_inner_leap_over_an_octave(style):
    for seed in range(3):
        chords = harmony.progression(spec_for(style, bars=32), seed)
        leaps = inner_voice_leaps(lead_voicings(chords, 52, 72))
        assert max(leaps, default=0) <= MAX_VOICE_LEAP
        if style != "rock":  # power chords slide in parallel like a guitarist's hand; others move by step
            assert sum(leaps) / max(len(leaps), 1) <= 4  # mostly steps and common tones


def test_deterministic_and_seed_sensitive():
    spec = spec_for("pop", bars=16)
    assert harmony.progression(spec, 1) == harmony.progression(spec, 1)
    assert len({tuple(c.symbol for c in harmony.progression(spec, s)) for s in range(10)}) >= 5


def test_rules_fallback_without_model(monkeypatch):
    monkeypatch.setattr(harmony, "load_model", lambda: None)
    chords = harmony.progression(spec_for("pop", bars=8), 3)
    assert len(chords) == 8 and chords[-1].root == note_name_to_pc("D")


def test_chord_symbols_parse():
    assert parse_chord_symbol("Am") == (9, "min")
    assert parse_chord_symbol("G7/b") == (7, "7")
    assert parse_chord_symbol("Bbmaj7") == (10, "maj7")
    assert parse_chord_symbol("D.C.") is None


def test_pipeline_samples_from_the_gru_and_the_ngram_still_works(monkeypatch):
    from music.chord_gru_lib import load_gru

    assert load_gru() is not None
    spec = spec_for("pop", bars=16)
    gru = [c.symbol for c in harmony.progression(spec, 3)]
    monkeypatch.setenv("TUNESMITH_CHORD_MODEL", "ngram")
    ngram = [c.symbol for c in harmony.progression(spec, 3)]
    assert len(gru) == len(ngram) == 16 and gru[-1] == ngram[-1] == "D"


def test_numpy_gru_matches_the_torch_model():
    torch = pytest.importorskip("torch")
    from generators.chord_rnn import encode, load
    from music.chord_gru_lib import GruScorer, load_gru

    model, vocab = load()
    model.eval()
    rec = {"mode": "minor", "tokens": ["0:min", "7:maj", "0:min", "5:min", "7:7"], "phrase_ends": [4]}
    ids = encode(rec, {t: i for i, t in enumerate(vocab)})
    with torch.no_grad():
        expected = torch.softmax(model(torch.tensor([ids])), -1)[0]
    scorer = GruScorer(load_gru())
    history = ["<s>", "<s>"]
    for pos, tok in enumerate(rec["tokens"]):
        assert scorer.prob("minor", history, tok) == pytest.approx(float(expected[pos, vocab.index(tok)]), abs=1e-5)
        history.append(tok)
