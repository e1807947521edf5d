"""Lyrics-to-melody benchmark: prints numbers, asserts nothing.

    .venv/bin/python benchmarks/lyrics.py [--runs 5] [--generator baseline|auto]

1. syllable-count accuracy on tests/data/lyrics_syllables.jsonl (per language);
2. coverage: syllables that get exactly one note start;
3. stressed syllables on strong beats: five real settings of English words in
   music21's corpus, next to our setting of the same words in the same meter;
4. Mandarin tone agreement of the melody, before and after the tone constraint;
5. p50 time of an 8-line lyric sheet -> score -> MIDI + MusicXML + audio;
6. bad input: 50,000 characters, emoji, code, one word.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lyrics.melody_lib import fit_range, tone_agreement, voice_range  # noqa: E402
from lyrics.rhythm_lib import is_strong, layout_lines  # noqa: E402
from lyrics.setting import set_lyrics  # noqa: E402
from lyrics.syllables import english_word, format_syllables, syllabify_line  # noqa: E402
from music.arrange import arrange  # noqa: E402
from music.harmony import progression  # noqa: E402
from music.spec import InstrumentSpec, MusicSpec  # noqa: E402

CORPUS = ("leadSheet/fosterBrownHair", "leadSheet/berlinAlexandersRagtime", "johnson_j_r/lift_every_voice",
          "liliuokalani/aloha_oe", "beach/prayer_of_a_tired_child")
DATA = ROOT / "tests" / "data" / "lyrics_syllables.jsonl"

SHEET_EN = """[Verse]
Amazing grace, how sweet the sound
That saved a wretch like me
I once was lost, but now am found
Was blind, but now I see
[Chorus]
I'm waitin' on the 5:15 train
Don't you know it's 2024?
Twinkle, twinkle, little star
How I wonder what you are"""
SHEET_ZH = "床前明月光\n疑是地上霜\n举头望明月\n低头思故乡\n春眠不觉晓\n处处闻啼鸟\n夜来风雨声\n花落知多少"
POEMS_ZH = SHEET_ZH + "\n白日依山尽\n黄河入海流\n欲穷千里目\n更上一层楼\n好一朵美丽的茉莉花\n芬芳美丽满枝桠\n又香又白人人夸"


def load_generator(name: str):
    if name == "baseline":
        from generators.baseline import BaselineGenerator

        return BaselineGenerator()
    from assistant.compose import default_generator

    return default_generator()


# --------------------------------------------------------------------------- 1. syllables


def bench_syllables() -> None:
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    by_lang: dict[str, list[bool]] = {}
    misses = []
    for r in rows:
        ok = len(syllabify_line(r["line"])) == r["syllables"]
        by_lang.setdefault(r["lang"], []).append(ok)
        if not ok:
            misses.append(f"    {r['line']!r}: labelled {r['syllables']}, got "
                          f"{len(syllabify_line(r['line']))} ({format_syllables(syllabify_line(r['line']))})")
    total = [x for v in by_lang.values() for x in v]
    print(f"syllable counts: {sum(total)}/{len(total)} lines correct = {100 * sum(total) / len(total):.1f} %")
    for lang, v in sorted(by_lang.items()):
        print(f"  {lang:6s} {sum(v)}/{len(v)} = {100 * sum(v) / len(v):.1f} %")
    for m in misses:
        print(m)


# --------------------------------------------------------------------------- 2. coverage


def bench_coverage(gen) -> None:
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    lines = [r["line"] for r in rows]
    for asked in (False, True):
        syllables = exact = melismas = 0
        for k in range(0, len(lines), 8):
            sheet = "\n".join(lines[k:k + 8])
            for meter in ("4/4", "3/4", "6/8"):
                s = set_lyrics(sheet, MusicSpec(time_signature=meter), gen, k, melisma=asked)
                sung = [n for n in s.notes if n.lyric]  # note starts that begin a syllable
                for e in s.events:
                    exact += sum(1 for n in sung if abs(n.start - e.start) < 1e-6) == 1
                syllables += len(s.events)
                melismas += s.melismas
        label = "melismas asked for" if asked else "default"
        print(f"coverage ({label}): {exact}/{syllables} syllables with exactly one note start = "
              f"{100 * exact / syllables:.1f} %, melismas {melismas}")


def bench_melody(gen) -> None:
    """Phrase ends on stable degrees, leaps and range over the labelled set sung in three meters."""
    from lyrics.melody_lib import stable_pcs
    from music.theory import note_name_to_pc

    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    lines = [r["line"] for r in rows]
    ends = stable = final_tonic = pieces = 0
    leaps: list[int] = []
    spans: list[int] = []
    for k in range(0, len(lines), 8):
        for meter, key, mode in (("4/4", "C", "major"), ("3/4", "D", "minor"), ("6/8", "Bb", "major")):
            spec = MusicSpec(time_signature=meter, key=key, mode=mode)
            s = set_lyrics("\n".join(lines[k:k + 8]), spec, gen, k)
            pcs = stable_pcs(note_name_to_pc(key), mode)
            last = [i for i, e in enumerate(s.events) if i + 1 == len(s.events) or s.events[i + 1].line != e.line]
            ends += len(last)
            stable += sum(s.notes[i].pitch % 12 in pcs for i in last)
            final_tonic += s.notes[-1].pitch % 12 == note_name_to_pc(key)
            pieces += 1
            leaps += [abs(a.pitch - b.pitch) for a, b, e in zip(s.notes, s.notes[1:], s.events[1:], strict=False)]
            spans.append(max(n.pitch for n in s.notes) - min(n.pitch for n in s.notes))
    print(f"melody: phrase ends on degrees 1/3/5 {stable}/{ends} = {100 * stable / ends:.1f} %, "
          f"pieces ending on the tonic {final_tonic}/{pieces}, mean interval {statistics.mean(leaps):.2f} "
          f"semitones, leaps > 7 semitones {100 * sum(x > 7 for x in leaps) / len(leaps):.1f} %, "
          f"range p50 {statistics.median(spans):.0f} semitones (max {max(spans)})")


# --------------------------------------------------------------------------- 3. stress


def _word_stresses(word: str, n_syllables: int) -> list[int] | None:
    parts = english_word(word)
    if len(parts) != n_syllables:
        return None
    return [s for _, s in parts]


def corpus_stress(name: str) -> tuple[int, int, int, int, str, list[str]]:
    """(stressed on strong, stressed, words aligned, words skipped, meter, lines of words) for one piece."""
    from music21 import corpus

    score = corpus.parse(name)
    part = max(score.parts, key=lambda p: sum(1 for n in p.recurse().notes if n.lyrics))
    notes = [n for n in part.recurse().notes if n.lyrics and not n.isChord or n.lyrics]
    ts = part.recurse().getElementsByClass("TimeSignature").first()
    meter = (ts.numerator, ts.denominator) if ts else (4, 4)
    verses = max(len(n.lyrics) for n in notes)
    hits = stressed = aligned = skipped = 0
    lines: list[str] = []
    for v in range(verses):
        word: list[tuple[str, float]] = []
        line_words: list[str] = []
        for n in notes:
            lyr = next((ly for ly in n.lyrics if ly.number == v + 1), None) or (
                n.lyrics[v] if v < len(n.lyrics) else None)
            if lyr is None or not lyr.text:
                continue
            text = lyr.text.strip()
            ts_here = n.getContextByClass("TimeSignature")
            bdur = ts_here.beatDuration.quarterLength if ts_here else 1.0
            pos = (float(n.beat) - 1.0) * bdur
            word.append((text, pos))
            if lyr.syllabic in ("single", "end", None):
                spelled = "".join(t for t, _ in word)
                clean = re.sub(r"[^\w']", "", spelled)
                st = _word_stresses(clean, len(word)) if clean else None
                if st is None:
                    skipped += 1
                else:
                    aligned += 1
                    for s, (_, p) in zip(st, word, strict=True):
                        if s == 1:
                            stressed += 1
                            hits += is_strong(round(p, 6), meter)
                line_words.append(clean)
                if re.search(r"[,.;:!?]$", spelled) or len(line_words) >= 10:
                    lines.append(" ".join(line_words))
                    line_words = []
                word = []
        if line_words:
            lines.append(" ".join(line_words))
    return hits, stressed, aligned, skipped, f"{meter[0]}/{meter[1]}", lines


def bench_stress(gen) -> None:
    print("stressed syllables on strong beats (downbeat, and mid-bar in 4-beat meters):")
    h_tot = s_tot = oh_tot = os_tot = 0
    for name in CORPUS:
        try:
            hits, stressed, aligned, skipped, meter, lines = corpus_stress(name)
        except Exception as exc:  # a corpus piece that does not parse is reported, not fatal
            print(f"  {name}: could not read ({type(exc).__name__}: {exc})")
            continue
        layout = layout_lines([syllabify_line(x) for x in lines], tuple(int(x) for x in meter.split("/")), 100)
        bar = int(meter.split("/")[0]) * 4 / int(meter.split("/")[1])
        ours = [e for e in layout.events if e.syllable.stress == 1]
        ours_hits = sum(is_strong(round(e.start % bar, 6), tuple(int(x) for x in meter.split("/"))) for e in ours)
        h_tot += hits
        s_tot += stressed
        oh_tot += ours_hits
        os_tot += len(ours)
        print(f"  {name:36s} {meter:4s} human {hits:3d}/{stressed:3d} = {100 * hits / max(stressed, 1):5.1f} %"
              f"   ours (same words) {ours_hits:3d}/{len(ours):3d} = {100 * ours_hits / max(len(ours), 1):5.1f} %"
              f"   ({aligned} words aligned, {skipped} skipped)")
    print(f"  {'all five':36s}      human {100 * h_tot / max(s_tot, 1):5.1f} %"
          f"   ours {100 * oh_tot / max(os_tot, 1):5.1f} %")
    rows = [json.loads(x) for x in DATA.read_text(encoding="utf-8").splitlines() if x.strip()]
    en = [syllabify_line(r["line"]) for r in rows if r["lang"] == "en"]
    for meter in ((4, 4), (3, 4), (6, 8), (2, 4)):
        layout = layout_lines(en, meter, 100)
        bar = meter[0] * 4 / meter[1]
        ours = [e for e in layout.events if e.syllable.stress == 1]
        hits = sum(is_strong(round(e.start % bar, 6), meter) for e in ours)
        print(f"  our labelled English lines in {meter[0]}/{meter[1]}: {hits}/{len(ours)} = "
              f"{100 * hits / len(ours):.1f} %")


# --------------------------------------------------------------------------- 4. tones


def bench_tones(gen) -> None:
    seeds = range(5)
    raw_ok = raw_tot = ok = tot = strict_raw = strict_ok = 0
    for seed in seeds:
        spec = MusicSpec(key="G", mode="major" if seed % 2 == 0 else "minor")
        s = set_lyrics(POEMS_ZH, spec, gen, seed)
        tones = [e.syllable.tone for e in s.events]
        lines = [e.line for e in s.events]
        chords = progression(spec.with_(bars=s.bars, lyrics=s.lines), seed)
        sung_spec = spec.with_(bars=s.bars, lyrics=s.lines, valence=s.valence, arousal=s.arousal)
        raw = gen.fill_rhythm(sung_spec, chords, [(e.start, e.duration) for e in s.events], seed)
        starts = [i for i, e in enumerate(s.events) if i == 0 or s.events[i - 1].line != e.line]
        raw = fit_range(raw, *voice_range(spec.register), starts)
        a, b = tone_agreement(raw, tones, lines)
        raw_ok, raw_tot = raw_ok + a, raw_tot + b
        a, b = tone_agreement([n.pitch for n in s.notes], tones, lines)
        ok, tot = ok + a, tot + b
        strict_raw += tone_agreement(raw, tones, lines, strict=True)[0]
        strict_ok += tone_agreement([n.pitch for n in s.notes], tones, lines, strict=True)[0]
    print(f"Mandarin tones ({len(seeds)} seeds x 15 lines, {tot} tone-bearing moves):")
    print(f"  no leap against the tone (4th/3rd not up > 2 semitones, 1st/2nd not down > 2): "
          f"generator alone {100 * raw_ok / raw_tot:.1f} %, after tone constraint {100 * ok / tot:.1f} %")
    print(f"  strict contour (2 rises, 3/4 fall or stay, 1 stays or rises): "
          f"generator alone {100 * strict_raw / raw_tot:.1f} %, after {100 * strict_ok / tot:.1f} %")


# --------------------------------------------------------------------------- 5. speed


def _speed_child(sheet: str, runs: int, generator: str, audio_ext: str, queue) -> None:
    """Runs in a child process: a crash in a native encoder is reported, not fatal to the benchmark."""
    from music.audio_io import render_audio
    from music.midi_io import score_to_midi
    from music.musicxml_io import score_to_musicxml

    gen = load_generator(generator)
    stages: dict[str, list[float]] = {k: [] for k in ("setting", "arrange", "midi", "musicxml", "audio", "total")}
    warnings: list[str] = []
    dur = 0.0
    for i in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            t = [time.perf_counter()]
            spec = MusicSpec(tempo_bpm=90, seed=i)
            s = set_lyrics(sheet, spec, gen, i)
            t.append(time.perf_counter())
            spec = spec.with_(bars=s.bars, lyrics=s.lines,
                              instruments=[InstrumentSpec.gm(53, "melody", "Voice Oohs"),
                                           InstrumentSpec.gm(0, "chords")])
            score = arrange(spec, s.chords, s.notes, i)
            t.append(time.perf_counter())
            midi = score_to_midi(score, Path(tmp) / "bench.mid")
            t.append(time.perf_counter())
            score_to_musicxml(score, Path(tmp) / "bench.musicxml")
            t.append(time.perf_counter())
            res = render_audio(midi, Path(tmp) / f"bench.{audio_ext}", duration_s=score.duration_s)
            t.append(time.perf_counter())
            for k, a, b in zip(("setting", "arrange", "midi", "musicxml", "audio"), t, t[1:], strict=False):
                stages[k].append(b - a)
            stages["total"].append(t[-1] - t[0])
            if res.warning:
                warnings.append(res.warning)
            dur = score.duration_s
    queue.put((stages, sorted(set(warnings)), dur))


def bench_speed(generator: str, runs: int) -> None:
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    for label, sheet in (("English", SHEET_EN), ("Chinese", SHEET_ZH)):
        for ext in ("ogg", "wav"):
            queue = ctx.Queue()
            proc = ctx.Process(target=_speed_child, args=(sheet, runs, generator, ext, queue))
            proc.start()
            proc.join(600)
            if proc.exitcode != 0 or queue.empty():
                why = (f"killed by signal {-proc.exitcode}" if (proc.exitcode or 0) < 0
                       else f"exit code {proc.exitcode}")
                print(f"  {label} -> MIDI+MusicXML+{ext}: the run crashed ({why}); libsndfile 1.2.2 segfaults "
                      "writing OGG Vorbis longer than ~60 s in one sf.write call (write it in blocks)")
                continue
            stages, warnings, dur = queue.get()
            p50 = {k: statistics.median(v) for k, v in stages.items()}
            parts = ", ".join(f"{k} {v:.3f}" for k, v in p50.items() if k != "total")
            print(f"  {label} 8-line sheet ({dur:.0f} s of music) -> score -> MIDI+MusicXML+{ext} audio: "
                  f"p50 {p50['total']:.3f} s, max {max(stages['total']):.3f} s over {runs} runs "
                  f"(p50 per stage: {parts}){'; ' + warnings[0] if warnings else ''}")


# --------------------------------------------------------------------------- 6. bad input


def bench_bad_input(gen) -> None:
    cases = {
        "50,000 characters": ("Twinkle twinkle little star, how I wonder what you are\n" * 1000)[:50_000],
        "one 50,000-char line": "la " * 16_667,
        "emoji only": "🎵🎶💖\n🌙✨\n🔥🔥🔥",
        "code": "```python\nimport os\nfor i in range(10):\n    print(i ** 2)\n```",
        "one word": "Hello",
        "control characters": "\x00\x01\ufeff\u200b",
    }
    for label, text in cases.items():
        t0 = time.perf_counter()
        try:
            s = set_lyrics(text, MusicSpec(), gen, 0)
            status = f"ok, {len(s.lines)} lines, {len(s.notes)} notes, {s.bars} bars; notes: {s.notes_for_user}"
        except Exception as exc:  # the point of the benchmark is to show this never happens
            status = f"RAISED {type(exc).__name__}: {exc}"
        print(f"  {label:22s} {time.perf_counter() - t0:6.3f} s  {status}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--generator", default="auto", choices=("auto", "baseline"))
    args = ap.parse_args()
    gen = load_generator(args.generator)
    print(f"generator: {gen.name}")
    bench_syllables()
    bench_coverage(gen)
    bench_melody(gen)
    bench_stress(gen)
    bench_tones(gen)
    print("speed:")
    bench_speed(args.generator, args.runs)
    print("bad input:")
    bench_bad_input(gen)


if __name__ == "__main__":
    main()
