"""Per-field accuracy of the request parser, embedding path against lexicon-only path, and parse latency.

Sets:
  dev       tests/data/requests_dev.jsonl: requests written for this project (English and Chinese,
            short requests, MidiCaps-style captions, casual chat, follow-up edits, and 'semantic' rows
            that name no mood or style word), labelled by hand.
  musecoco  ../shared/data/musecoco_text2attr_dev.jsonl: 2,500 real descriptions written elsewhere
            (see ../shared/data/README.md for the fields).

Usage: .venv/bin/python benchmarks/parse_accuracy.py [--limit N] [--set dev|musecoco|all]
       [--path both|lexicon|embedding] [--errors FIELD]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.parser import parse_message  # noqa: E402
from music.spec import InstrumentSpec, MusicSpec  # noqa: E402
from music.theory import is_major_like, note_name_to_pc  # noqa: E402

DEV = ROOT / "tests" / "data" / "requests_dev.jsonl"
MUSECOCO = ROOT.parent / "shared" / "data" / "musecoco_text2attr_dev.jsonl"
EXPLICIT_FIELDS = ("tempo_bpm", "key", "mode", "time_signature", "bars", "instruments", "drums")


def tempo_class(bpm: float) -> str:
    """MuseCoco's classes: slow <= 76 bpm, fast >= 120 bpm, moderate between."""
    return "slow" if bpm <= 76 else "fast" if bpm >= 120 else "moderate"


def default_current() -> MusicSpec:
    """The 'current piece' the follow-up rows of the dev set are parsed against."""
    return MusicSpec(tempo_bpm=100.0, key="C", mode="major", time_signature="4/4", bars=16,
                     instruments=[InstrumentSpec.gm(0, "melody"), InstrumentSpec.gm(25, "chords"),
                                  InstrumentSpec.gm(33, "bass")], drums=False, style="pop")


def sign(x: float) -> int:
    return 1 if x > 0 else -1


def dev_checks(row: dict, use_embeddings: bool) -> dict[str, bool]:
    cur = default_current() if row.get("current") else None
    p = parse_message(row["text"], cur, use_embeddings=use_embeddings)
    s, lab = p.spec, row["labels"]
    out: dict[str, bool] = {}
    if "tempo_bpm" in lab:
        out["tempo_bpm"] = abs(s.tempo_bpm - lab["tempo_bpm"]) <= 1.0
    if "tempo_class" in lab:
        out["tempo_class"] = tempo_class(s.tempo_bpm) == lab["tempo_class"]
    if "key" in lab:
        out["key"] = note_name_to_pc(s.key) == note_name_to_pc(lab["key"])
    if "mode" in lab:
        out["mode"] = s.mode == lab["mode"]
    if "time_signature" in lab:
        out["time_signature"] = s.time_signature == lab["time_signature"]
    if "bars" in lab:
        out["bars"] = s.bars == lab["bars"]
    if "instruments" in lab:
        out["instruments"] = sorted({i.program for i in s.instruments if not i.is_drum}) == lab["instruments"]
    if "drums" in lab:
        out["drums"] = s.drums == lab["drums"] and (any(i.is_drum for i in s.instruments) == s.drums)
    if "valence_sign" in lab:
        out["valence_sign"] = sign(s.valence) == lab["valence_sign"]
    if "arousal_sign" in lab:
        out["arousal_sign"] = sign(s.arousal) == lab["arousal_sign"]
    if "style" in lab:
        out["style"] = s.style == lab["style"]
    if "intent" in lab:
        out["intent"] = p.intent == lab["intent"]
    if "changes" in lab:
        out["changes"] = set(lab["changes"]) <= set(p.changes)
    if "question" in lab:
        out["question"] = p.question == lab["question"]
    return out


_MUSECOCO_CLASS = {**{p: "piano" for p in range(0, 4)}, **{p: "keyboard" for p in range(4, 8)},
                   **{p: "percussion" for p in (*range(8, 16), 47, *range(112, 120))},
                   **{p: "organ" for p in range(16, 24)}, **{p: "guitar" for p in range(24, 32)},
                   **{p: "bass" for p in range(32, 40)}, 40: "violin", 41: "viola", 42: "cello",
                   **{p: "strings" for p in (43, 44, 45, 48, 49, 50, 51)}, 46: "harp",
                   **{p: "voice" for p in (52, 53, 54)}, 55: "sound_effects", 56: "trumpet", 59: "trumpet",
                   57: "trombone", 58: "tuba", 60: "horn", **{p: "brass" for p in (61, 62, 63)},
                   **{p: "sax" for p in range(64, 68)}, 68: "oboe", 69: "oboe", 70: "bassoon", 71: "clarinet",
                   72: "piccolo", 73: "flute", **{p: "pipe" for p in range(74, 80)},
                   **{p: "synthesizer" for p in range(80, 96)}, **{p: "sound_effects" for p in range(96, 104)},
                   **{p: "ethnic_instruments" for p in range(104, 112)},
                   **{p: "sound_effects" for p in range(120, 128)}}


def quadrant(valence: float, arousal: float) -> str:
    if valence > 0:
        return "Q1" if arousal > 0 else "Q4"
    return "Q2" if arousal > 0 else "Q3"


def musecoco_checks(row: dict, use_embeddings: bool) -> dict[str, bool]:
    p = parse_message(row["text"], None, use_embeddings=use_embeddings)
    s, lab = p.spec, row["labels"]
    out: dict[str, bool] = {}
    if "time_signature" in lab:
        out["time_signature"] = s.time_signature == lab["time_signature"]
    if "key_mode" in lab:
        out["key_mode"] = ("major" if is_major_like(s.mode) else "minor") == lab["key_mode"]
    if "tempo_class" in lab:
        out["tempo_class"] = tempo_class(s.tempo_bpm) == lab["tempo_class"]
    if "instruments_present" in lab:
        pred = {_MUSECOCO_CLASS[i.program] for i in s.instruments if not i.is_drum}
        if s.drums:
            pred.add("drum")
        out["instruments_present"] = pred == set(lab["instruments_present"])
    if "emotion_quadrant" in lab:
        out["emotion_quadrant"] = quadrant(s.valence, s.arousal) == lab["emotion_quadrant"]
    if "bars" in lab:
        out["bars_within_4"] = abs(s.bars - lab["bars"]) <= 4
    return out


def evaluate(rows: list[dict], check, use_embeddings: bool, errors_field: str | None) -> dict[str, tuple[int, int]]:
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    shown = 0
    for row in rows:
        for field, ok in check(row, use_embeddings).items():
            tally[field][0] += int(ok)
            tally[field][1] += 1
            if errors_field == field and not ok and shown < 25:
                shown += 1
                p = parse_message(row["text"], default_current() if row.get("current") else None,
                                  use_embeddings=use_embeddings)
                lab = row["labels"]
                print(f"  MISS {field}: {row['text'][:160]!r}\n     label={ {k: lab[k] for k in lab} }\n"
                      f"     got tempo={p.spec.tempo_bpm} key={p.spec.key} mode={p.spec.mode} "
                      f"ts={p.spec.time_signature} bars={p.spec.bars} "
                      f"inst={[i.program for i in p.spec.instruments]} drums={p.spec.drums} "
                      f"v={p.spec.valence} a={p.spec.arousal} style={p.spec.style} intent={p.intent} "
                      f"changes={p.changes}")
    return {k: (v[0], v[1]) for k, v in tally.items()}


def print_table(title: str, results: dict[str, dict[str, tuple[int, int]]]) -> None:
    print(f"\n{title}")
    paths = list(results)
    fields = sorted({f for r in results.values() for f in r})
    print(f"  {'field':<22}" + "".join(f"{p:>22}" for p in paths))
    for f in fields:
        cells = []
        for p in paths:
            ok, n = results[p].get(f, (0, 0))
            cells.append(f"{100.0 * ok / n:6.1f} % ({ok:>4}/{n:<4})" if n else f"{'-':>22}")
        print(f"  {f:<22}" + "".join(f"{c:>22}" for c in cells))


def load(path: Path, limit: int | None) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return rows[:limit] if limit else rows


def latency(rows: list[dict], use_embeddings: bool, n: int = 200) -> tuple[float, float]:
    """p50 and p90 milliseconds per message, after the model is loaded."""
    texts = [r["text"] for r in rows][:n]
    parse_message("warm up", None, use_embeddings=use_embeddings)
    times = []
    for t in texts:
        t0 = time.perf_counter()
        parse_message(t, None, use_embeddings=use_embeddings)
        times.append(1000.0 * (time.perf_counter() - t0))
    times.sort()
    return statistics.median(times), times[int(0.9 * (len(times) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="rows per set (quick runs)")
    ap.add_argument("--set", choices=("dev", "musecoco", "all"), default="all")
    ap.add_argument("--path", choices=("both", "lexicon", "embedding"), default="both")
    ap.add_argument("--errors", default=None, help="print misses of this field")
    ap.add_argument("--kind", default=None, help="dev rows of one kind only: request, caption, chat, follow-up, semantic")
    args = ap.parse_args()
    paths = {"both": [("lexicon", False), ("embedding", True)], "lexicon": [("lexicon", False)],
             "embedding": [("embedding", True)]}[args.path]
    if any(u for _, u in paths):
        from assistant import embedding

        t0 = time.perf_counter()
        embedding.load()
        print(f"embedding model + prototypes loaded in {time.perf_counter() - t0:.1f} s")
    sets = []
    if args.set in ("dev", "all"):
        dev = [r for r in load(DEV, None) if args.kind is None or r.get("kind") == args.kind][:args.limit]
        sets.append((f"dev set (tests/data/requests_dev.jsonl{', ' + args.kind if args.kind else ''})", dev, dev_checks))
    if args.set in ("musecoco", "all") and MUSECOCO.exists():
        sets.append(("MuseCoco text2attr dev (../shared/data)", load(MUSECOCO, args.limit), musecoco_checks))
    for title, rows, check in sets:
        results = {name: evaluate(rows, check, use, args.errors) for name, use in paths}
        print_table(f"{title}: {len(rows)} rows", results)
        if check is dev_checks:
            for name, _ in paths:
                ok = sum(results[name].get(f, (0, 0))[0] for f in EXPLICIT_FIELDS)
                n = sum(results[name].get(f, (0, 0))[1] for f in EXPLICIT_FIELDS)
                print(f"  explicit fields pooled ({name}): {100.0 * ok / max(n, 1):.1f} % ({ok}/{n})")
    lat_rows = sets[0][1] if sets else []
    for name, use in paths:
        if lat_rows:
            p50, p90 = latency(lat_rows, use)
            print(f"parse latency ({name}): p50 {p50:.1f} ms, p90 {p90:.1f} ms over {min(200, len(lat_rows))} messages")


if __name__ == "__main__":
    main()
