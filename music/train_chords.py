"""Build the chord corpus and train the chord n-gram: ``python -m music.train_chords``.

Sources, all from music21's bundled public-domain corpus (no download):

* Bach chorales (``bach/bwv*``): chordified beat by beat and labelled with the
  best-matching chord (the analysis a harmony student does), phrase ends at the
  soprano fermatas; the soprano gives the melody for the consonance statistic.
* The Riemenschneider chorale analyses and Monteverdi madrigals (``*.rntxt``):
  expert Roman-numeral annotations.
* Folk tunes with chord symbols (Nottingham, Ryan's Mammoth, O'Neill's, miscFolk,
  lead sheets): ABC ``"Am"`` annotations read straight from the text.

Writes ``music/data/chord_corpus.json`` (the token sequences, for the benchmark's
held-out perplexity) and ``music/data/chord_ngram.json`` (the trained model).
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from music.chord_model_lib import DATA_DIR, fit_ngram, perplexity, save_model, split_corpus
from music.chord_vocab_lib import chord_to_token, match_chord, parse_chord_symbol
from music.theory import chord_pcs, note_name_to_pc

CORPUS_PATH = DATA_DIR / "chord_corpus.json"
_ABC_MODES = {"": "major", "maj": "major", "m": "minor", "min": "minor", "dor": "minor", "mix": "major",
              "aeo": "minor", "phr": "minor", "lyd": "major", "ion": "major"}


def _mode_family(mode: str) -> str:
    return "major" if mode in ("major", "ionian", "lydian", "mixolydian") else "minor"


def _beat_labels_without_soprano(score) -> dict[int, tuple[int, str] | None]:
    """Chords analysed from alto, tenor and bass only: the soprano cannot vote for its own notes."""
    from music21 import stream

    rest = stream.Score()
    for part in score.parts[1:]:
        rest.insert(0, part)
    weights: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for c in rest.chordify().flatten().notes:
        for p in c.pitches:
            weights[int(float(c.offset))][p.pitchClass] += float(c.quarterLength) * (2.0 if p == c.bass() else 1.0)
    return {b: match_chord(dict(w)) for b, w in weights.items()}


def chorale_record(path: str) -> dict | None:
    """One Bach chorale -> chord tokens per beat, phrase ends and soprano strong-beat consonance."""
    from music21 import corpus, expressions

    try:
        s = corpus.parse(path)
        k = s.analyze("key")
        tonic = k.tonic.pitchClass
        mode = _mode_family(k.mode)
        flat = s.chordify().flatten().notes
        num = s.recurse().getElementsByClass("TimeSignature").first()
        bpb = num.barDuration.quarterLength if num else 4.0
        weights: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
        for c in flat:
            beat = int(float(c.offset))
            for p in c.pitches:
                # the bass counts double: it decides the chord more than an inner passing tone
                weights[beat][p.pitchClass] += float(c.quarterLength) * (2.0 if p == c.bass() else 1.0)
        labels = {b: match_chord(dict(w)) for b, w in weights.items()}
        lower = _beat_labels_without_soprano(s)
        soprano = s.parts[0].flatten().notes
        fermata_beats = {int(float(n.offset)) for n in soprano
                         if any(isinstance(e, expressions.Fermata) for e in n.expressions)}
        strong_hits = strong_total = lower_hits = lower_total = 0
        for n in soprano:
            off = float(n.offset)
            if off != int(off) or (off % bpb) not in (0.0, bpb / 2) or not hasattr(n, "pitch"):
                continue
            lab = labels.get(int(off))
            if lab is not None:
                strong_total += 1
                strong_hits += n.pitch.pitchClass in chord_pcs(*lab)
            lab = lower.get(int(off))
            if lab is not None:
                lower_total += 1
                lower_hits += n.pitch.pitchClass in chord_pcs(*lab)
        tokens: list[str] = []
        phrase_ends: list[int] = []
        for b in sorted(labels):
            lab = labels[b]
            if lab is None:
                continue
            tok = chord_to_token(lab[0], lab[1], tonic)
            if not tokens or tokens[-1] != tok:
                tokens.append(tok)
            if b in fermata_beats and (not phrase_ends or phrase_ends[-1] != len(tokens) - 1):
                phrase_ends.append(len(tokens) - 1)
        if len(tokens) < 4:
            return None
        if not phrase_ends or phrase_ends[-1] != len(tokens) - 1:
            phrase_ends.append(len(tokens) - 1)
        return {"source": "bach", "id": Path(path).stem, "mode": mode, "tokens": tokens, "phrase_ends": phrase_ends,
                "strong_hits": strong_hits, "strong_total": strong_total,
                "lower_hits": lower_hits, "lower_total": lower_total}
    except Exception:  # one unreadable file must not stop the build
        return None


def rntxt_record(path: str) -> dict | None:
    """An expert Roman-numeral analysis -> tokens (key changes re-anchor the tonic)."""
    from music21 import converter, roman

    try:
        s = converter.parse(path, format="romanText")
        tokens: list[str] = []
        modes: list[str] = []
        for rn in s.recurse().getElementsByClass(roman.RomanNumeral):
            k = rn.key
            pcs = {p.pitchClass: 1.0 for p in rn.pitches}
            pcs[rn.root().pitchClass] = 1.5
            lab = match_chord(pcs)
            if lab is None:
                continue
            tok = chord_to_token(lab[0], lab[1], k.tonic.pitchClass)
            modes.append(_mode_family(k.mode))
            if not tokens or tokens[-1] != tok:
                tokens.append(tok)
        if len(tokens) < 4:
            return None
        mode = max(set(modes), key=modes.count)
        source = "bach_rn" if "bach" in path else "monteverdi_rn"
        return {"source": source, "id": Path(path).stem, "mode": mode, "tokens": tokens,
                "phrase_ends": [len(tokens) - 1], "strong_hits": 0, "strong_total": 0}
    except Exception:
        return None


def _abc_key(field: str) -> tuple[int, str] | None:
    m = re.match(r"\s*([A-G][#b]?)\s*([A-Za-z]*)", field)
    if not m:
        return None
    return note_name_to_pc(m.group(1)), _ABC_MODES.get(m.group(2).lower()[:3], "major")


def abc_records(path: str) -> list[dict]:
    """Tunes of one ABC file that carry chord symbols; ``:|`` and the end mark phrase ends."""
    text = Path(path).read_text(errors="replace")
    out = []
    for i, tune in enumerate(re.split(r"\n(?=X:)", text)):
        km = re.search(r"^K:(.*)$", tune, re.M)
        if not km or not (key := _abc_key(km.group(1))):
            continue
        tonic, mode = key
        body = tune[km.end():]
        tokens: list[str] = []
        phrase_ends: list[int] = []
        for m in re.finditer(r'"([^"]{1,8})"|(:\||\|\])', body):
            if m.group(2):
                if tokens and (not phrase_ends or phrase_ends[-1] != len(tokens) - 1):
                    phrase_ends.append(len(tokens) - 1)
                continue
            parsed = parse_chord_symbol(m.group(1))
            if parsed is None:
                continue
            tok = chord_to_token(parsed[0], parsed[1], tonic)
            if not tokens or tokens[-1] != tok:
                tokens.append(tok)
        if len(tokens) >= 4:
            if not phrase_ends or phrase_ends[-1] != len(tokens) - 1:
                phrase_ends.append(len(tokens) - 1)
            out.append({"source": "folk", "id": f"{Path(path).stem}-{i}", "mode": mode, "tokens": tokens,
                        "phrase_ends": phrase_ends, "strong_hits": 0, "strong_total": 0})
    return out


def leadsheet_record(path: str) -> dict | None:
    """A MusicXML lead sheet's chord symbols."""
    from music21 import corpus, harmony

    try:
        s = corpus.parse(path)
        k = s.analyze("key")
        tokens = []
        for cs in s.recurse().getElementsByClass(harmony.ChordSymbol):
            lab = parse_chord_symbol(cs.figure.replace("-", "b"))
            if lab:
                tok = chord_to_token(lab[0], lab[1], k.tonic.pitchClass)
                if not tokens or tokens[-1] != tok:
                    tokens.append(tok)
        if len(tokens) < 4:
            return None
        return {"source": "folk", "id": Path(path).stem, "mode": _mode_family(k.mode), "tokens": tokens,
                "phrase_ends": [len(tokens) - 1], "strong_hits": 0, "strong_total": 0}
    except Exception:
        return None


def corpus_paths(limit: int | None = None) -> dict[str, list[str]]:
    from music21 import corpus

    paths = [str(p) for p in corpus.getCorePaths()]
    chorales = sorted(p for p in paths if "/bach/bwv" in p and p.endswith((".mxl", ".xml")))
    return {
        "bach": chorales[:limit] if limit else chorales,
        "rntxt": sorted(p for p in paths if p.endswith(".rntxt")),
        "abc": sorted(p for p in paths if p.endswith(".abc") and any(
            f"/{d}/" in p for d in ("nottingham-dataset", "ryansMammoth", "oneills1850", "miscFolk"))),
        "leadsheet": sorted(p for p in paths if "/leadSheet/" in p),
    }


def build_corpus(limit: int | None = None, workers: int = 2) -> list[dict]:
    paths = corpus_paths(limit)
    records: list[dict] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        records += [r for r in pool.map(chorale_record, paths["bach"], chunksize=4) if r]
        records += [r for r in pool.map(rntxt_record, paths["rntxt"]) if r]
    for p in paths["abc"]:
        records += abc_records(p)
    records += [r for r in map(leadsheet_record, paths["leadsheet"]) if r]
    return records


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="at most this many Bach chorales (quick runs)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--reuse", action="store_true", help="refit from the saved chord_corpus.json")
    args = ap.parse_args(argv)
    t0 = time.time()
    if args.reuse and CORPUS_PATH.exists():
        records = json.loads(CORPUS_PATH.read_text())["records"]
    else:
        records = build_corpus(args.limit, args.workers)
        CORPUS_PATH.parent.mkdir(parents=True, exist_ok=True)
        hits = sum(r["strong_hits"] for r in records)
        total = sum(r["strong_total"] for r in records)
        low_hits = sum(r.get("lower_hits", 0) for r in records)
        low_total = sum(r.get("lower_total", 0) for r in records)
        CORPUS_PATH.write_text(json.dumps({
            "doc": "Key-relative chord token sequences from music21's corpus (see music/train_chords.py).",
            "corpus_strong_beat_chord_tone_share": round(hits / max(total, 1), 4),
            "corpus_strong_beat_chord_tone_share_lower_voices": round(low_hits / max(low_total, 1), 4),
            "records": records}, separators=(",", ":")))
    train, test = split_corpus(records)
    held = perplexity(test, fit_ngram(train, order=3).prob)
    model = fit_ngram(records, order=3)  # the shipped model sees everything; the benchmark refits on train
    save_model(model)
    by_source: dict[str, int] = defaultdict(int)
    for r in records:
        by_source[r["source"]] += 1
    print(f"records: {dict(by_source)}; tokens: {sum(len(r['tokens']) for r in records)}; "
          f"vocab: {len(model.vocab)}; held-out trigram perplexity {held:.2f}; {time.time() - t0:.1f} s")


if __name__ == "__main__":
    main()
