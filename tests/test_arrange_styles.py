"""Every style sounds like itself: meter, programs, drums, swing and mix, read back from the written MIDI."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pretty_midi
import pytest

from generators.baseline import BaselineGenerator
from music.arrange import arrange, ensemble
from music.conditioning import STYLES
from music.harmony import progression
from music.midi_io import score_to_midi
from music.spec import InstrumentSpec, MusicSpec
from music.style_data import style_arrangement
from music.theory import chord_pcs

STYLE_DEFAULTS = {k: v for k, v in json.loads(
    (Path(__file__).parent.parent / "prompts" / "styles.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")}
SWUNG = {"jazz", "blues", "lofi", "hiphop"}
TIME_KEEPERS = {42, 44, 46, 51}  # hats and ride


def style_spec(style: str, seed: int = 3, bars: int = 16) -> MusicSpec:
    d = STYLE_DEFAULTS[style]
    return MusicSpec(tempo_bpm=d["tempo_default"], key="D", mode=d["mode"], time_signature=d["meter"], bars=bars,
                     drums=d["drums"], style=style, seed=seed)


def render(spec: MusicSpec, tmp_path: Path) -> pretty_midi.PrettyMIDI:
    chords = progression(spec, spec.seed)
    melody = BaselineGenerator().compose(spec, chords, spec.seed).notes
    path = score_to_midi(arrange(spec, chords, melody, spec.seed), tmp_path / f"{spec.style}.mid")
    return pretty_midi.PrettyMIDI(str(path))


def offbeat_ratio(pm: pretty_midi.PrettyMIDI, tempo: float) -> float | None:
    """Median position of the off-beat hat/ride strokes inside their beat (0.5 straight, ~0.67 shuffle)."""
    spb = 60.0 / tempo
    fracs = []
    for inst in pm.instruments:
        if inst.is_drum:
            for n in inst.notes:
                frac = (n.start / spb) % 1.0
                if n.pitch in TIME_KEEPERS and 0.4 < frac < 0.72:
                    fracs.append(frac)
    return statistics.median(fracs) if fracs else None


def test_every_conditioning_style_has_arrangement_data():
    assert set(STYLES) <= set(STYLE_DEFAULTS)
    for style in STYLES:
        assert style_arrangement(style).accompaniment


@pytest.mark.parametrize("style", STYLES)
def test_style_meter_programs_drums_and_mix(style, tmp_path):
    spec = style_spec(style)
    pm = render(spec, tmp_path)
    ts = pm.time_signature_changes[0]
    assert f"{ts.numerator}/{ts.denominator}" == STYLE_DEFAULTS[style]["meter"]
    programs = {i.program for i in pm.instruments if not i.is_drum}
    assert {p for p, _ in STYLE_DEFAULTS[style]["instruments"]} <= programs
    assert any(i.is_drum for i in pm.instruments) == STYLE_DEFAULTS[style]["drums"]
    assert len([i for i in pm.instruments if not i.is_drum]) >= 2  # never a bare melody
    for inst in pm.instruments:
        ccs = {c.number for c in inst.control_changes}
        assert {7, 10, 91} <= ccs
        assert inst.notes, f"{inst.name} is silent"
    end = spec.duration_s + 0.1
    assert max(n.end for i in pm.instruments for n in i.notes) <= end


@pytest.mark.parametrize("style", sorted(SWUNG))
def test_swing_styles_swing(style, tmp_path):
    spec = style_spec(style)
    ratio = offbeat_ratio(render(spec, tmp_path), spec.tempo_bpm)
    assert ratio is not None
    assert ratio == pytest.approx(style_arrangement(style).swing, abs=0.03)
    assert ratio > 0.58


@pytest.mark.parametrize("style", ["pop", "rock", "funk", "electronic"])
def test_straight_styles_do_not_swing(style, tmp_path):
    spec = style_spec(style)
    assert offbeat_ratio(render(spec, tmp_path), spec.tempo_bpm) == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize("style", STYLES)
def test_twenty_seeds_give_twenty_different_arrangements(style):
    base = style_spec(style, bars=8)
    melody = BaselineGenerator().compose(base, progression(base, 0), 0).notes
    prints, progressions = set(), set()
    for seed in range(20):
        spec = base.with_(seed=seed)
        chords = progression(spec, seed)
        score = arrange(spec, chords, melody, seed)
        progressions.add(tuple(c.symbol for c in chords))
        prints.add(tuple((t.program, tuple((n.pitch, round(n.start, 3)) for n in t.notes))
                         for t in score.tracks if t.role != "melody"))
    assert len(prints) == 20
    assert len(progressions) >= 3


def test_same_seed_same_arrangement():
    spec = style_spec("jazz")
    chords = progression(spec, 5)
    melody = BaselineGenerator().compose(spec, chords, 5).notes
    a, b = arrange(spec, chords, melody, 5), arrange(spec, chords, melody, 5)
    assert [(t.name, t.notes) for t in a.tracks] == [(t.name, t.notes) for t in b.tracks]


def test_sections_have_fills_and_crashes(tmp_path):
    spec = style_spec("pop", bars=32)
    pm = render(spec, tmp_path)
    drums = next(i for i in pm.instruments if i.is_drum)
    spb = 60.0 / spec.tempo_bpm
    sections = arrange(spec, progression(spec, 3), [], 3).sections
    assert [s.name for s in sections][0] == "intro" and sections[-1].name == "ending"
    toms = {41, 45, 47, 50}
    for s in sections[1:]:
        bar_before = (s.start_bar - 1) * 4.0
        fill = [n for n in drums.notes if bar_before + 2 <= n.start / spb < s.start_bar * 4.0
                and (n.pitch in toms or n.pitch == 38)]
        assert len(fill) >= 3, f"no fill before {s.name}"
        assert any(n.pitch == 49 and abs(n.start / spb - s.start_bar * 4.0) < 0.1 for n in drums.notes)


def test_ensemble_fills_accompaniment_from_style_and_keeps_user_parts():
    spec = style_spec("jazz").with_(instruments=[])
    roles = [p.role for p in ensemble(spec)]
    assert roles[0] == "melody" and "bass" in roles and "chords" in roles and roles[-1] == "drums"
    from music.spec import InstrumentSpec

    own = spec.with_(instruments=[InstrumentSpec.gm(40, "melody"), InstrumentSpec.gm(42, "bass")], drums=False)
    assert [(p.program, p.role) for p in ensemble(own)] == [(40, "melody"), (42, "bass")]


def test_bad_input_never_raises(tmp_path):
    odd = MusicSpec(style="no-such-style", key="H", mode="weird", time_signature="7/8", bars=1, drums=True)
    for spec in (odd, odd.with_(time_signature="5/4", bars=3), odd.with_(key="C", mode="minor", bars=128)):
        chords = progression(spec, 1)
        assert chords
        score = arrange(spec, chords, [], 1)
        assert score.tracks


EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.parametrize("style", STYLES)
def test_rendered_example_matches_its_style(style):
    """examples/<style>.mid and .ogg (``python -m benchmarks.render_examples``) exist and sound like the style."""
    midi, ogg = EXAMPLES / f"{style}.mid", EXAMPLES / f"{style}.ogg"
    assert midi.is_file() and ogg.is_file() and ogg.stat().st_size > 10_000
    pm = pretty_midi.PrettyMIDI(str(midi))
    ts = pm.time_signature_changes[0]
    assert f"{ts.numerator}/{ts.denominator}" == STYLE_DEFAULTS[style]["meter"]
    assert {p for p, _ in STYLE_DEFAULTS[style]["instruments"]} <= {i.program for i in pm.instruments if not i.is_drum}
    assert any(i.is_drum for i in pm.instruments) == STYLE_DEFAULTS[style]["drums"]
    if style in SWUNG:
        tempo = pm.get_tempo_changes()[1][0]
        assert offbeat_ratio(pm, tempo) == pytest.approx(style_arrangement(style).swing, abs=0.03)


@pytest.mark.parametrize("style", STYLES)
def test_piece_ends_on_its_last_chord_with_the_root_in_the_bass(style, tmp_path):
    """The last sound is the final chord, root lowest: no chorale ends on the IV of its IV-I, no piano
    waltz on a six-four chord for want of a bass part."""
    spec = style_spec(style)
    chords = progression(spec, spec.seed)
    pm = render(spec, tmp_path)
    final = chords[-1]
    end = pm.get_end_time()
    ringing = [n for i in pm.instruments if not i.is_drum for n in i.notes if n.end > end - 0.3]
    assert ringing
    assert min(ringing, key=lambda n: n.pitch).pitch % 12 == final.root % 12
    harmony = [n for i in pm.instruments[1:] if not i.is_drum for n in i.notes if n.end > end - 0.3]  # [0] is the tune
    assert {n.pitch % 12 for n in harmony} <= set(chord_pcs(final.root, final.quality))


def test_solo_piano_waltz_ends_on_a_root_position_tonic(tmp_path):
    spec = MusicSpec(tempo_bpm=66, key="D", mode="minor", time_signature="3/4", bars=16, style="waltz", seed=3,
                     instruments=[InstrumentSpec.gm(0, "melody")])
    pm = render(spec, tmp_path)
    assert [i.program for i in pm.instruments] == [0, 0]  # no bass part to hold the root
    end = pm.get_end_time()
    last = [n for i in pm.instruments for n in i.notes if n.end > end - 0.3]
    assert min(n.pitch for n in last) % 12 == 2  # D under the final D-minor chord


def test_a_part_named_twice_is_written_once(tmp_path):
    """'A waltz for orchestra ... flute, clarinet, strings and harp': one string pad, one flute counter-line
    (beside the flute's tune), not copies doubling each other note for note."""
    parts = [(73, "melody"), (40, "counter"), (73, "counter"), (48, "pad"), (60, "chords"), (43, "bass"),
             (71, "counter"), (48, "pad"), (46, "chords"), (73, "counter")]
    spec = MusicSpec(tempo_bpm=104, key="A", mode="major", time_signature="3/4", bars=8, style="waltz", seed=1,
                     instruments=[InstrumentSpec.gm(p, r) for p, r in parts])
    written = [i.name for i in render(spec, tmp_path).instruments]
    assert len(written) == 8
    assert written.count("String Ensemble 1") == 1 and written.count("Flute") == 2
