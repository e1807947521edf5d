"""Arrangement benchmark: ``python -m benchmarks.arrangement`` prints the numbers for issue 5.

1. Chord model: held-out perplexity of the Kneser-Ney n-grams against uniform and unigram baselines.
2. Consonance: share of melody notes on strong beats that are chord tones, generated vs the corpus.
3. Style coverage: meter, programs, drums and swing ratio per style, read back from the MIDI.
4. Spread: distinct arrangements and progressions across 20 seeds per style.
5. Speed: arrangement + MIDI + FluidSynth/OGG render of a 32-bar, 5-part piece (p50 / p90).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import pretty_midi

from generators.baseline import BaselineGenerator
from music.arrange import arrange
from music.audio_io import render_audio
from music.chord_model_lib import fit_ngram, fit_unigram, perplexity, split_corpus
from music.conditioning import STYLES
from music.harmony import chord_at, progression
from music.midi_io import score_to_midi
from music.score import beats_per_bar
from music.spec import InstrumentSpec, MusicSpec
from music.style_data import style_arrangement
from music.theory import chord_pcs
from music.train_chords import CORPUS_PATH

STYLE_DEFAULTS = {k: v for k, v in json.loads(
    (Path(__file__).resolve().parent.parent / "prompts" / "styles.json").read_text(encoding="utf-8")).items()
    if not k.startswith("_")}


def style_spec(style: str, seed: int, bars: int = 16) -> MusicSpec:
    d = STYLE_DEFAULTS.get(style, {})
    return MusicSpec(tempo_bpm=d.get("tempo_default", 100), key="D", mode=d.get("mode", "major"),
                     time_signature=d.get("meter", "4/4"), bars=bars, drums=d.get("drums", False), style=style,
                     seed=seed)


def chord_model_numbers() -> None:
    data = json.loads(CORPUS_PATH.read_text())
    records = data["records"]
    train, test = split_corpus(records)
    uni = fit_unigram(train)
    vocab = {t for r in train for t in r["tokens"]} | {"|", "</s>"}
    print("== chord model (held-out perplexity, lower is better) ==")
    print(f"train records {len(train)}, held-out records {len(test)}, "
          f"held-out tokens {sum(len(r['tokens']) for r in test)}")
    print(f"uniform               {len(vocab):8.2f}")
    print(f"unigram (add-one)     {perplexity(test, lambda m, h, t: uni[m].get(t, 1e-6)):8.2f}")
    for order in (2, 3, 4):
        t0 = time.perf_counter()
        model = fit_ngram(train, order=order)
        fit_s = time.perf_counter() - t0
        print(f"{order}-gram Kneser-Ney     {perplexity(test, model.prob):8.2f}   (fit {fit_s:.2f} s)")
    try:
        from generators.chord_rnn import evaluate_checkpoint

        ppl = evaluate_checkpoint()
        print(f"GRU (generators/chord_rnn.py) {ppl:8.2f}" if ppl else "GRU: no checkpoint (python -m generators.chord_rnn)")
        from music.chord_gru_lib import load_gru

        print("pipeline samples from:", "the GRU (numpy, music/data/chord_gru.npz)" if load_gru() else "the 3-gram")
    except ImportError as exc:
        print(f"GRU unavailable: {exc}")


def consonance(spec: MusicSpec, melody, chords) -> tuple[int, int]:
    """(chord tones, notes) among melody notes starting on a strong beat (downbeat or mid-bar)."""
    bpb = beats_per_bar(spec.meter)
    strong = {0.0, bpb / 2} if bpb >= 4 else {0.0}
    hits = total = 0
    for n in melody:
        pos = round(n.start % bpb, 3)
        if pos in strong:
            c = chord_at(chords, n.start)
            total += 1
            hits += c is not None and n.pitch % 12 in chord_pcs(c.root, c.quality)
    return hits, total


def consonance_numbers(seeds: int) -> None:
    data = json.loads(CORPUS_PATH.read_text())
    print("\n== consonance: melody notes on strong beats that are chord tones ==")
    print(f"corpus: Bach chorale sopranos vs chords analysed from all four voices   "
          f"{data['corpus_strong_beat_chord_tone_share']:.3f}")
    if "corpus_strong_beat_chord_tone_share_lower_voices" in data:
        print(f"corpus: Bach chorale sopranos vs chords analysed from alto, tenor, bass "
              f"{data['corpus_strong_beat_chord_tone_share_lower_voices']:.3f}")
    gens = [("baseline", BaselineGenerator())]
    try:
        from assistant.compose import default_generator

        g = default_generator()
        if getattr(g, "name", "baseline") != "baseline":
            gens.append((g.name, g))
    except Exception as exc:  # the neural generator is optional here
        print(f"(default generator unavailable: {exc})")
    for name, gen in gens:
        hits = total = 0
        for style in STYLES:
            for seed in range(seeds):
                spec = style_spec(style, seed)
                chords = progression(spec, seed)
                h, t = consonance(spec, gen.compose(spec, chords, seed).notes, chords)
                hits, total = hits + h, total + t
        print(f"generated, {name:<12} ({len(STYLES)} styles x {seeds} seeds, {total} notes)  {hits / max(total, 1):.3f}")


def swing_ratio(pm: pretty_midi.PrettyMIDI, tempo: float) -> float | None:
    spb = 60.0 / tempo
    fracs = [(n.start / spb) % 1.0 for i in pm.instruments if i.is_drum for n in i.notes
             if n.pitch in (42, 44, 46, 51)]
    fracs = [f for f in fracs if 0.4 < f < 0.72]
    return statistics.median(fracs) if fracs else None


def coverage_and_spread(tmp: Path) -> None:
    print("\n== style coverage (read back from the written MIDI) and spread over 20 seeds ==")
    print(f"{'style':<11} {'meter':<5} {'drums':<5} {'swing':>5}  {'arrangements':>12} {'progressions':>12}  programs")
    gen = BaselineGenerator()
    for style in STYLES:
        spec = style_spec(style, 1)
        chords = progression(spec, 1)
        score = arrange(spec, chords, gen.compose(spec, chords, 1).notes, 1)
        pm = pretty_midi.PrettyMIDI(str(score_to_midi(score, tmp / f"{style}.mid")))
        ts = pm.time_signature_changes[0]
        drums = any(i.is_drum for i in pm.instruments)
        ratio = swing_ratio(pm, spec.tempo_bpm)
        programs = [f"{i.program}:{t.role}" for i, t in zip(pm.instruments, score.tracks, strict=False)
                    if not i.is_drum]
        prints, progs = set(), set()
        for seed in range(20):
            s = style_spec(style, seed, bars=8)
            ch = progression(s, seed)
            sc = arrange(s, ch, gen.compose(s, ch, seed).notes, seed)
            progs.add(tuple(c.symbol for c in ch))
            prints.add(tuple(tuple((n.pitch, round(n.start, 3)) for n in t.notes) for t in sc.tracks))
        swing = f"{ratio:.2f}" if ratio is not None else "-"
        print(f"{style:<11} {ts.numerator}/{ts.denominator:<3} {str(drums):<5} {swing:>5}  {len(prints):>9}/20 "
              f"{len(progs):>9}/20  {' '.join(programs)}   [{style_arrangement(style).accompaniment}]")


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (FluidSynth), immune to other users' load."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def speed_numbers(runs: int, tmp: Path) -> None:
    print("\n== speed: 32-bar, 5-part piece (melody, chords, bass, pad, drums) ==")
    spec = MusicSpec(tempo_bpm=110, key="D", mode="major", time_signature="4/4", bars=32, style="pop", drums=True,
                     instruments=[InstrumentSpec.gm(0, "melody"), InstrumentSpec.gm(25, "chords"),
                                  InstrumentSpec.gm(33, "bass"), InstrumentSpec.gm(48, "pad")])
    melody = BaselineGenerator().compose(spec, progression(spec, 0), 0).notes
    arr, total, render, encode, cpu = [], [], [], [], []
    for seed in range(runs):
        c0 = cpu_seconds()
        t0 = time.perf_counter()
        chords = progression(spec, seed)
        score = arrange(spec, chords, melody, seed)
        t1 = time.perf_counter()
        midi = score_to_midi(score, tmp / f"speed{seed}.mid")
        t2 = time.perf_counter()
        res = render_audio(midi, tmp / f"speed{seed}.ogg", duration_s=score.duration_s)  # what a chat turn does
        t3 = time.perf_counter()
        cpu.append(cpu_seconds() - c0)
        arr.append(t1 - t0)
        render.append(t2 - t1)
        encode.append(t3 - t2)
        total.append(t3 - t0)
    q = statistics.quantiles(total, n=10) if len(total) >= 2 else total
    print(f"parts {len(score.tracks)}, audio {score.duration_s:.1f} s via {res.renderer}, {runs} runs")
    print(f"progression + arrangement  p50 {statistics.median(arr) * 1000:7.1f} ms")
    print(f"MIDI write                 p50 {statistics.median(render) * 1000:7.1f} ms")
    print(f"FluidSynth + normalise+OGG p50 {statistics.median(encode) * 1000:7.1f} ms")
    print(f"total                      p50 {statistics.median(total) * 1000:7.1f} ms   p90 {q[-1] * 1000:7.1f} ms"
          f"   (target < 2500 ms)")
    print(f"total CPU time (this process + FluidSynth) p50 {statistics.median(cpu) * 1000:7.1f} ms"
          f"   (what the wall time would be on an idle machine; load average now {os.getloadavg()[0]:.1f}"
          f" on {os.cpu_count()} cores)")
    try:
        from music.musicxml_io import score_to_musicxml
        from music.score_render import render_sheet_music

        t0 = time.perf_counter()
        xml = score_to_musicxml(score, tmp / "speed.musicxml")
        t1 = time.perf_counter()
        out = render_sheet_music(xml, tmp / "speed.score.png")
        t2 = time.perf_counter()
        print(f"sheet music: MusicXML {1000 * (t1 - t0):.0f} ms + engrave/rasterise {1000 * (t2 - t1):.0f} ms "
              f"-> {out.suffix}")
    except Exception as exc:
        print(f"sheet music unavailable: {exc}")


def balance_numbers(tmp: Path, styles: tuple[str, ...] = STYLES) -> None:
    """Loudness of each part rendered alone through FluidSynth (same SoundFont and gain as the app)."""
    import numpy as np

    from music.audio_io import _render_fluidsynth, find_soundfont

    sf2 = find_soundfont()
    if sf2 is None:
        print("\n(mix balance skipped: no SoundFont)")
        return
    print("\n== mix balance: RMS of each part rendered alone, dB relative to the melody ==")
    gen = BaselineGenerator()
    for style in styles:
        spec = style_spec(style, 1, bars=8)
        chords = progression(spec, 1)
        score = arrange(spec, chords, gen.compose(spec, chords, 1).notes, 1)
        levels = {}
        for k, track in enumerate(score.tracks):
            solo = score.copy()
            solo.tracks = [solo.tracks[k]]
            midi = score_to_midi(solo, tmp / f"bal_{style}_{k}.mid")
            audio = _render_fluidsynth(midi, tmp / f"bal_{style}_{k}.wav", sf2)
            levels[f"{track.role}({track.program})"] = 20 * np.log10(float(np.sqrt(np.mean(audio ** 2))) + 1e-9)
        ref = next(v for k, v in levels.items() if k.startswith("melody"))
        print(f"{style:<9} " + "  ".join(f"{k} {v - ref:+5.1f}" for k, v in levels.items()))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=5, help="seeds per style for consonance")
    ap.add_argument("--runs", type=int, default=7, help="timed runs for speed")
    args = ap.parse_args(argv)
    chord_model_numbers()
    consonance_numbers(args.seeds)
    with tempfile.TemporaryDirectory() as tmp:
        coverage_and_spread(Path(tmp))
        balance_numbers(Path(tmp))
        speed_numbers(args.runs, Path(tmp))


if __name__ == "__main__":
    main()
