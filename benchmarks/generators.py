"""Benchmarks of the melody generators; prints numbers (run: python -m benchmarks.generators [--quick]).

1. held-out NLL / next-step accuracy of the VAE and LSTM (and a first-order Markov chain), CNN accuracy
2. control accuracy: music21 key analysis of the generated MIDI vs the request; meter, tempo, instruments
3. CNN-judge agreement with the requested valence and arousal bins
4. text2midi-style TB / TBT / CK / CKD on ../shared/data/midicaps_examples.jsonl, caption -> MIDI
5. Yang & Lerch overlapping areas against held-out real melodies (real, VAE, LSTM, baseline, Markov)
6. novelty: longest span copied note-for-note from a training melody
7. speed: 16 bars, 8 candidates sampled and reranked
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from generators.corpus_io import load_tunes
from generators.melody_lib import CHORD_QUALITIES_USED, STEPS_PER_BEAT, Tune, bin3
from music.conditioning import proxy_valence_arousal
from music.score import ChordEvent, Note, beats_per_bar, parse_time_signature
from music.spec import InstrumentSpec, MusicSpec
from music.theory import chord_symbol, spell_tonic

ROOT = Path(__file__).resolve().parents[1]
MIDICAPS = ROOT.parent / "shared" / "data" / "midicaps_examples.jsonl"
TEMPO_EDGES = [40, 60, 70, 90, 110, 140, 160, 210]
# The words MidiCaps's captioning pipeline writes for a MIDI's tempo, with the bpm range each is
# written for (AMAAI-Lab/MidiCaps pipeline.py: one of the two schemes is drawn per caption).
MIDICAPS_TEMPO_WORDS = {
    "Grave": (0, 40), "Largo": (41, 60), "Adagio": (61, 70), "Andante": (71, 90), "Moderato": (91, 110),
    "Allegro": (111, 140), "Vivace": (141, 160), "Presto": (161, 210), "Prestissimo": (211, 400),
    "Slow": (0, 80), "Moderate tempo": (81, 120), "Fast": (121, 160), "Very fast": (161, 400),
}


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


# ---- 1. likelihood ------------------------------------------------------------------------------------
class MarkovChain:
    """First-order Markov chain over (tonic-relative pitch, duration) note events, add-one smoothed."""

    def __init__(self, tunes: list[Tune]):
        self.counts: dict[tuple[int, int], dict[tuple[int, int], int]] = {}
        for t in tunes:
            ev = [(int(p) - t.tonic_pc, int(d)) for p, d in zip(t.pitches, t.durations, strict=True)]
            for a, b in zip(ev, ev[1:], strict=False):
                self.counts.setdefault(a, {}).setdefault(b, 0)
                self.counts[a][b] += 1
        self.states = list(self.counts)

    def sample(self, tonic_pc: int, n_steps: int, rng: random.Random) -> list[Note]:
        cur = rng.choice(self.states)
        out, t = [], 0
        while t < n_steps:
            p, d = cur
            d = min(d, n_steps - t)
            out.append(Note(p + tonic_pc, t / STEPS_PER_BEAT, d / STEPS_PER_BEAT))
            t += d
            nxt = self.counts.get(cur)
            cur = rng.choices(list(nxt), weights=list(nxt.values()))[0] if nxt else rng.choice(self.states)
        return out


def bench_likelihood(test_ws, device: str, checkpoints: Path) -> None:
    from generators.checkpoint_io import load_checkpoint
    from generators.train import evaluate

    print("\n== 1. Held-out likelihood (test split, per 16th-note step) ==")
    for kind in ("vae", "lstm", "cnn"):
        model, info, _ = load_checkpoint(checkpoints / f"{kind}.safetensors", device)
        m = evaluate(kind, model, test_ws, device, cnn_cfg=model.cfg if kind == "cnn" else None)
        print(f"{kind:5s} " + "  ".join(f"{k} {v:.3f}" for k, v in m.items()))


def token_markov_nll(train_ws, test_ws) -> tuple[float, float]:
    """First-order Markov chain over grid tokens: the floor the neural NLL should beat."""
    V = int(max(train_ws.tokens.max(), test_ws.tokens.max())) + 1
    counts = np.ones((V, V))
    for toks, m in zip(train_ws.tokens, train_ws.mask, strict=True):
        t = toks[m]
        np.add.at(counts, (t[:-1], t[1:]), 1)
    probs = counts / counts.sum(1, keepdims=True)
    nll, acc, n = 0.0, 0, 0
    for toks, m in zip(test_ws.tokens, test_ws.mask, strict=True):
        t = toks[m]
        nll -= np.log(probs[t[:-1], t[1:]]).sum()
        acc += int((probs[t[:-1]].argmax(1) == t[1:]).sum())
        n += len(t) - 1
    return nll / n, acc / n


# ---- shared: requests ----------------------------------------------------------------------------------
def tune_chords(t: Tune, start_beat: int, n_beats: int) -> list[ChordEvent]:
    out = []
    for b in range(n_beats):
        i = start_beat + b
        if i >= len(t.chord_roots) or t.chord_roots[i] < 0:
            continue
        r, q = int(t.chord_roots[i]), CHORD_QUALITIES_USED[int(t.chord_quals[i])]
        out.append(ChordEvent(chord_symbol(r, q), r, q, float(b), 1.0))
    return out


def tune_excerpt(t: Tune, bars: int) -> list[Note]:
    spb = t.steps_per_bar
    end = bars * spb
    return [Note(int(p), o / STEPS_PER_BEAT, min(d, end - o) / STEPS_PER_BEAT)
            for p, o, d in zip(t.pitches, t.onsets, t.durations, strict=True) if o < end]


def spec_of_tune(t: Tune, bars: int, seed: int) -> MusicSpec:
    """The request a real tune answers: its key, mode, meter, tempo, style, register and density."""
    notes = tune_excerpt(t, bars)
    mean = np.mean([n.pitch for n in notes]) if notes else 67
    opb = len(notes) / (bars * beats_per_bar(parse_time_signature(t.time_signature)))
    return MusicSpec(tempo_bpm=t.tempo_bpm, key=spell_tonic(t.tonic_pc, t.mode), mode=t.mode,
                     time_signature=t.time_signature, bars=bars, style=t.style, seed=seed,
                     register=float(np.clip((mean - 67) / 24 + 0.5, 0, 1)), density=float(np.clip(opb / 3, 0, 1)))


# ---- 2-3. control ----------------------------------------------------------------------------------------
def midi_facts(path: Path) -> dict:
    import mido
    from music21 import converter

    mf = mido.MidiFile(str(path))
    tempo = ts = None
    programs = set()
    for tr in mf.tracks:
        for msg in tr:
            if msg.type == "set_tempo" and tempo is None:
                tempo = mido.tempo2bpm(msg.tempo)
            elif msg.type == "time_signature" and ts is None:
                ts = f"{msg.numerator}/{msg.denominator}"
            elif msg.type == "program_change" and msg.channel != 9:
                programs.add(msg.program)
    k = converter.parse(str(path)).analyze("key")
    return {"tempo": tempo, "ts": ts, "programs": programs, "key_pc": k.tonic.pitchClass, "mode": k.mode,
            "rel_ok": None}


def melody_key(notes: list[Note]) -> tuple[int, str]:
    from music21 import note as m21note
    from music21 import stream

    s = stream.Stream()
    for n in notes:
        s.insert(n.start, m21note.Note(n.pitch, quarterLength=max(0.25, n.duration)))
    k = s.analyze("key")
    return k.tonic.pitchClass, k.mode


def bench_control(gen, n: int, out_dir: Path) -> None:
    from assistant.compose import compose_score
    from music.midi_io import score_to_midi

    print(f"\n== 2. Control accuracy ({n} requests, generator {gen.name}) ==")
    rng = random.Random(0)
    instruments = [[InstrumentSpec.gm(0, "melody")], [InstrumentSpec.gm(73, "melody"), InstrumentSpec.gm(0, "chords")],
                   [InstrumentSpec.gm(40, "melody"), InstrumentSpec.gm(48, "pad"), InstrumentSpec.gm(32, "bass")]]
    hits = {"key (full MIDI)": 0, "key (melody)": 0, "meter": 0, "tempo": 0, "instruments": 0}
    judged = {"valence": 0, "arousal": 0}
    for i in range(n):
        mode = rng.choice(["major", "minor"])
        tonic = rng.randrange(12)
        a = rng.uniform(-1, 1)
        register = rng.uniform(0.2, 0.8)
        density = float(np.clip(0.5 + 0.35 * a + rng.uniform(-0.15, 0.15), 0, 1))
        tempo = round(100 * 2 ** (0.8 * a))
        # Valence and arousal as the shared definition ties them to mode, register, tempo and density.
        v, a = proxy_valence_arousal(mode == "major", 67 + 12 * (2 * register - 1), 3 * density, tempo)
        spec = MusicSpec(tempo_bpm=tempo, key=spell_tonic(tonic, mode), mode=mode,
                         time_signature=rng.choice(["4/4", "3/4", "2/4", "6/8"]), bars=8, seed=i,
                         instruments=list(rng.choice(instruments)), valence=v, arousal=a,
                         density=density, register=register,
                         style=rng.choice(["folk", "pop", "chinese", "celtic", "classical"]))
        comp = compose_score(spec, gen)
        path = score_to_midi(comp.score, out_dir / f"ctl{i}.mid")
        f = midi_facts(path)
        hits["key (full MIDI)"] += (f["key_pc"], f["mode"]) == (tonic, mode)
        hits["key (melody)"] += melody_key(comp.melody.notes) == (tonic, mode)
        hits["meter"] += f["ts"] == spec.time_signature
        hits["tempo"] += f["tempo"] is not None and abs(f["tempo"] - spec.tempo_bpm) < 0.5
        hits["instruments"] += {i.program for i in spec.instruments} <= f["programs"]
        if hasattr(gen, "judge"):
            from generators.melody_encoder_decoder import score_notes_to_tokens
            from generators.sampling_lib import build_context
            ctx = build_context(spec, comp.score.chords, spec.bars * int(comp.score.beats_per_bar * 4))
            toks = score_notes_to_tokens(comp.melody.notes, ctx.tonic_pc, ctx.n_steps)[None]
            pred = judge_bins(gen, toks, ctx)
            judged["valence"] += pred["valence"] == bin3(float(ctx.cond[0]))
            judged["arousal"] += pred["arousal"] == bin3(float(ctx.cond[1]))
    for k, v in hits.items():
        print(f"{k:18s} {pct(v / n)}")
    if hasattr(gen, "judge"):
        print("\n== 3. CNN judge agreement with requested bins (3 bins each, chance 33.3 %) ==")
        for k, v in judged.items():
            print(f"{k:18s} {pct(v / n)}")


def judge_bins(gen, tokens, ctx) -> dict[str, int]:
    import torch

    from generators.melody_encoder_decoder import rolls_from_tokens

    cfg = gen.cnn.cfg
    roll = torch.as_tensor(rolls_from_tokens(tokens, np.full(len(tokens), ctx.tonic_pc), cfg.low_pitch,
                                             cfg.n_pitch), device=gen.device)
    with torch.no_grad():
        out = gen.cnn(roll, torch.full((len(tokens),), float(ctx.cond[2]), device=gen.device))
    return {k: int(v.argmax(-1)[0]) for k, v in out.items()}


# ---- 4. MidiCaps captions -------------------------------------------------------------------------------------
def tempo_bin(bpm: float) -> int:
    """The bin as MidiCaps counts it (``np.sum(bpm > marks)``): 140 bpm is Allegro, 141 Vivace."""
    return sum(bpm > e for e in TEMPO_EDGES)


def bench_tempo_words() -> None:
    """Does each word MidiCaps captions use for tempo come out in the bpm range it is written for?"""
    from assistant.parser import parse_message

    rows = []
    for word, (lo, hi) in MIDICAPS_TEMPO_WORDS.items():
        for template in ("A pop song at a {w} pace.", "The tempo is {w}.", "It has a {w} tempo and a 4/4 time signature."):
            bpm = parse_message(template.format(w=word.lower() if " " in word else word)).spec.tempo_bpm
            rows.append((word, bpm, lo <= bpm <= hi))
    ok = sum(r[2] for r in rows)
    print(f"MidiCaps tempo words read into the range they are written for: {ok} of {len(rows)}"
          + "".join(f"\n  miss: {w!r} -> {b:g} bpm" for w, b, hit in rows if not hit))


def _states(r: dict) -> tuple[bool, bool]:
    """(caption states the key, caption states the tempo), from the row's notes or its text."""
    said = r.get("mentioned_in_caption")
    if said is not None:
        return bool(said.get("key")), bool(said.get("tempo_word") or said.get("tempo_bpm"))
    lab, cap = r.get("labels", {}), r["caption"].lower()
    key = bool(lab.get("key")) and lab["key"].lower() in cap
    word = (lab.get("tempo_word") or "").lower()
    bpm = lab.get("tempo_bpm")
    tempo = bool(bpm) and (str(int(bpm)) in cap or (bool(word) and word.split(" (")[0] in cap))
    return key, tempo


def bench_midicaps(gen, out_dir: Path) -> None:
    """TB/TBT/CK/CKD end to end, on all labelled captions and on those that state the attribute.

    text2midi's published figures come from MidiCaps captions written from each MIDI's
    tags, which always state key and tempo; the hand-written few-shot captions here
    sometimes leave them out, and then no text-conditioned system can know them.
    """
    from assistant.compose import compose_score
    from assistant.parser import parse_message
    from music.midi_io import score_to_midi
    from music.theory import note_name_to_pc

    rows = [json.loads(x) for x in MIDICAPS.read_text().splitlines() if x.strip()]
    res: list[dict] = []
    for i, r in enumerate(rows):
        lab = r.get("labels", {})
        if not (lab.get("tempo_bpm") or lab.get("key")):
            continue
        spec = parse_message(r["caption"]).spec.with_(seed=i)
        comp = compose_score(spec, gen)
        f = midi_facts(score_to_midi(comp.score, out_dir / f"cap{i}.mid"))
        row = {"id": r.get("id", str(i))}
        row["states_key"], row["states_tempo"] = _states(r)
        if lab.get("tempo_bpm"):
            want_bin, got_bin = tempo_bin(lab["tempo_bpm"]), tempo_bin(f["tempo"] or 0)
            row["tb"], row["tbt"] = want_bin == got_bin, abs(want_bin - got_bin) <= 1
        if lab.get("key"):
            name, mode = lab["key"].split()
            want = (note_name_to_pc(name), mode.lower())
            rel = ((want[0] + 9) % 12, "minor") if want[1] == "major" else ((want[0] + 3) % 12, "major")
            got = (f["key_pc"], f["mode"])
            row["ck"], row["ckd"] = got == want, got in (want, rel)
        res.append(row)

    def rate(metric: str, subset=lambda x: True) -> str:
        xs = [x[metric] for x in res if metric in x and subset(x)]
        return f"{pct(sum(xs) / max(1, len(xs)))} of {len(xs)}"

    print(f"\n== 4. MidiCaps captions end to end (generator {gen.name}; text2midi published: TB 39.7 %, CK 33.6 %) ==")
    print(f"captions that state it (text2midi's protocol): TB {rate('tb', lambda x: x['states_tempo'])}  "
          f"TBT {rate('tbt', lambda x: x['states_tempo'])}  CK {rate('ck', lambda x: x['states_key'])}  "
          f"CKD {rate('ckd', lambda x: x['states_key'])}")
    print(f"every labelled caption:                       TB {rate('tb')}  TBT {rate('tbt')}  "
          f"CK {rate('ck')}  CKD {rate('ckd')}")
    print(f"captions silent on it:                        TB {rate('tb', lambda x: not x['states_tempo'])}  "
          f"CK {rate('ck', lambda x: not x['states_key'])}")
    bench_tempo_words()


# ---- 5. Yang & Lerch overlapping areas -------------------------------------------------------------------------------
def features(notes: list[Note], bar_beats: float) -> dict[str, np.ndarray | float]:
    p = np.array([n.pitch for n in notes]) if notes else np.array([60])
    d = np.array([n.duration for n in notes]) if notes else np.array([1.0])
    pch = np.bincount(p % 12, minlength=12) / len(p)
    iv = np.clip(np.diff(p), -12, 12) + 12 if len(p) > 1 else np.array([12])
    ivh = np.bincount(iv, minlength=25) / len(iv)
    lens = [0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
    lidx = [int(np.argmin([abs(x - length) for length in lens])) for x in d]
    nlh = np.bincount(lidx, minlength=len(lens)) / len(lidx)
    bars: dict[int, set[int]] = {}
    for n in notes:
        bars.setdefault(int(n.start // bar_beats), set()).add(n.pitch)
    return {"pitch-class histogram": pch, "interval histogram": ivh, "note-length histogram": nlh,
            "pitch range": float(p.max() - p.min()),
            "pitch count per bar": float(np.mean([len(s) for s in bars.values()])) if bars else 0.0}


def _kde_overlap(a: np.ndarray, b: np.ndarray) -> float:
    lo, hi = min(a.min(), b.min()), max(a.max(), b.max())
    pad = 0.1 * (hi - lo + 1e-6)
    grid = np.linspace(lo - pad, hi + pad, 400)

    def kde(x):
        bw = 1.06 * max(x.std(), 1e-3) * len(x) ** (-1 / 5)
        return np.exp(-0.5 * ((grid[:, None] - x[None]) / bw) ** 2).sum(1) / (len(x) * bw * np.sqrt(2 * np.pi))
    return float(np.trapezoid(np.minimum(kde(a), kde(b)), grid))


def overlapping_areas(real: list[dict], gen: list[dict]) -> dict[str, float]:
    """Yang & Lerch: overlap of the real set's intra-set distances with the real-vs-generated distances."""
    out = {}
    for k in real[0]:
        R = np.array([np.atleast_1d(f[k]) for f in real], dtype=float)
        G = np.array([np.atleast_1d(f[k]) for f in gen], dtype=float)
        intra = np.linalg.norm(R[:, None] - R[None], axis=-1)[np.triu_indices(len(R), 1)]
        inter = np.linalg.norm(R[:, None] - G[None], axis=-1).ravel()
        out[k] = _kde_overlap(intra, inter)
    return out


def bench_similarity_and_novelty(gens: dict, tunes_test: list[Tune], tunes_train: list[Tune], n: int) -> None:
    print(f"\n== 5. Yang & Lerch overlapping area vs held-out real melodies ({n} 8-bar samples each; higher is better) ==")
    rng = random.Random(0)
    pool = [t for t in tunes_test if t.n_steps >= 8 * t.steps_per_bar]
    rng.shuffle(pool)
    ref, other = pool[:n], pool[n: 2 * n]
    bar = lambda t: beats_per_bar(parse_time_signature(t.time_signature))  # noqa: E731
    real_f = [features(tune_excerpt(t, 8), bar(t)) for t in ref]
    sets = {"real (other tunes)": [(tune_excerpt(t, 8), t) for t in other]}
    markov = MarkovChain(tunes_train)
    sets["markov"] = [(markov.sample(t.tonic_pc, 8 * t.steps_per_bar, rng), t) for t in other]
    for name, g in gens.items():
        outs = []
        for i, t in enumerate(other):
            spec = spec_of_tune(t, 8, i)
            outs.append((g.compose(spec, tune_chords(t, 0, int(8 * bar(t))), i).notes, t))
        sets[name] = outs
    names = list(real_f[0])
    print(f"{'set':20s} " + " ".join(f"{k[:14]:>15s}" for k in names) + f" {'mean':>7s}")
    for name, outs in sets.items():
        oa = overlapping_areas(real_f, [features(nn, bar(t)) for nn, t in outs])
        print(f"{name:20s} " + " ".join(f"{oa[k]:15.3f}" for k in names) + f" {np.mean(list(oa.values())):7.3f}")
    print("\n== 6. Novelty: longest span copied note-for-note from any training melody ==")
    index = NgramIndex(tunes_train)
    for name in ["real (other tunes)", "markov", *gens]:
        spans = [index.longest_copy(nn) for nn, _ in sets[name]]
        beats = [b for _, b in spans]
        four_bars = [b >= 4 * bar(t) for (_, b), (_, t) in zip(spans, sets[name], strict=True)]
        print(f"{name:20s} median {statistics.median(n for n, _ in spans):.0f} notes "
              f"({statistics.median(beats):.1f} beats), max {max(beats):.1f} beats, "
              f">= 4 bars copied: {pct(float(np.mean(four_bars)))}")


class NgramIndex:
    """Sets of (interval, duration) n-grams of the training melodies, for longest-copy search."""

    def __init__(self, tunes: list[Tune]):
        self.seqs = [self._events(t.pitches.tolist(), (t.onsets / STEPS_PER_BEAT).tolist()) for t in tunes]
        self.cache: dict[int, set[int]] = {}

    @staticmethod
    def _events(pitches, starts) -> list[tuple[int, float]]:
        """(interval, inter-onset time) between consecutive notes: transposition-invariant, articulation-blind."""
        return [(int(p1 - p0), round(float(s1 - s0), 3))
                for p0, p1, s0, s1 in zip(pitches, pitches[1:], starts, starts[1:], strict=False)]

    def grams(self, k: int) -> set[int]:
        if k not in self.cache:
            self.cache[k] = {hash(tuple(s[i: i + k])) for s in self.seqs for i in range(len(s) - k + 1)}
        return self.cache[k]

    def longest_copy(self, notes: list[Note]) -> tuple[int, float]:
        """(notes, beats) of the longest run of ``notes`` that also occurs in a training melody."""
        ev = self._events([n.pitch for n in notes], [n.start for n in notes])
        best, best_beats, lo, hi = 0, 0.0, 1, len(ev)
        while lo <= hi:
            k = (lo + hi) // 2
            g = self.grams(k)
            hit = next((i for i in range(len(ev) - k + 1) if hash(tuple(ev[i: i + k])) in g), None)
            if hit is None:
                hi = k - 1
            else:
                best, lo = k + 1, k + 1
                best_beats = notes[hit + k].end - notes[hit].start
        return best, best_beats


# ---- 7. speed ---------------------------------------------------------------------------------------------------------
def bench_speed(gen, baseline, runs: int) -> None:
    import os

    import torch

    from music.harmony import progression

    print(f"\n== 7. Speed: 16 bars, {getattr(gen, 'n_candidates', 1)} candidates sampled + reranked "
          f"(device {getattr(gen, 'device', 'cpu')}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}) ==")
    spec = MusicSpec(bars=16, key="G", mode="major", time_signature="4/4")
    chords = progression(spec, 0)
    for name, g in (("neural", gen), ("baseline", baseline)):
        g.compose(spec, chords, 0)
        ts = []
        for s in range(runs):
            t = time.perf_counter()
            g.compose(spec, chords, s)
            ts.append(1000 * (time.perf_counter() - t))
        print(f"{name:9s} p50 {statistics.median(ts):.0f} ms  p90 {np.percentile(ts, 90):.0f} ms  ({runs} runs)")
    if hasattr(gen, "n_candidates"):
        old = gen.n_candidates
        gen.n_candidates = 64
        ts = []
        for s in range(runs):
            t = time.perf_counter()
            gen.compose(spec, chords, s)
            ts.append(1000 * (time.perf_counter() - t))
        gen.n_candidates = old
        print(f"neural, 64 candidates on {'GPU' if torch.cuda.is_available() else 'CPU'}: "
              f"p50 {statistics.median(ts):.0f} ms  p90 {np.percentile(ts, 90):.0f} ms")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer samples (about a minute)")
    ap.add_argument("--only", default="1234567", help="which sections to run, e.g. 257")
    ap.add_argument("--checkpoints", type=Path, default=None, help="checkpoint folder (default: the shipped one)")
    args = ap.parse_args(argv)
    import torch

    from generators.baseline import BaselineGenerator
    from generators.checkpoint_io import CHECKPOINT_DIR
    from generators.registry import load_neural
    from generators.train import build_windows, split_tunes

    torch.set_num_threads(2)
    n_ctl, n_sim, runs = (20, 40, 10) if args.quick else (100, 200, 30)
    tunes = load_tunes()
    splits = split_tunes(tunes)
    ckpt = args.checkpoints or CHECKPOINT_DIR
    vae, lstm = load_neural(str(ckpt), composer="vae"), load_neural(str(ckpt), composer="lstm")
    base = BaselineGenerator()
    out_dir = Path(tempfile.mkdtemp(prefix="tunesmith_bench_"))
    if "1" in args.only:
        test_ws = build_windows(splits["test"])
        bench_likelihood(test_ws, vae.device, ckpt)
        nll, acc = token_markov_nll(build_windows(splits["train"]), test_ws)
        print(f"markov nll {nll:.3f}  accuracy {acc:.3f}   (first-order chain over grid tokens)")
    if "2" in args.only:
        bench_control(vae, n_ctl, out_dir)
    if "4" in args.only:
        try:
            bench_midicaps(vae, out_dir)
        except Exception as exc:  # noqa: BLE001 - the parser may not be ready; report, don't crash
            print(f"\n== 4. MidiCaps: skipped ({type(exc).__name__}: {exc})")
    if "5" in args.only:
        bench_similarity_and_novelty({"vae": vae, "lstm": lstm, "baseline": base}, splits["test"],
                                     splits["train"], n_sim)
    if "7" in args.only:
        bench_speed(vae, base, runs)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
