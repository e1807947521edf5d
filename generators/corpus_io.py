"""Read music21's bundled public-domain corpus once and cache it as compact arrays.

Sources: the Essen folk songs (German, Luxembourg, Lorraine... and the Chinese
``han1``/``han2`` collections), O'Neill's Music of Ireland (1850), Ryan's Mammoth
Collection, Aird's Airs and the Bach chorales (soprano melody, chords from all
four voices). ``python -m generators.corpus_io`` rebuilds ``generators/data/corpus.npz``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

import numpy as np

from generators.melody_lib import (
    CHORD_QUALITIES_USED,
    STEPS_PER_BEAT,
    Tune,
    chord_window_beats,
    dedup,
    estimate_chords,
    estimate_key,
    steps_per_bar,
    style_for,
)

DEFAULT_PATH = Path(__file__).parent / "data" / "corpus.npz"
DEFAULT_TEMPO = {"folk": 100.0, "chinese": 84.0, "celtic": 112.0, "chorale": 70.0, "waltz": 140.0,
                 "march": 112.0, "lullaby": 72.0}
_SKIP_ESSEN = ("test0", "test1", "testd", "teste")


def corpus_sources() -> list[tuple[str, str]]:
    """(path, collection) for every corpus file we train on."""
    from music21 import corpus

    out: list[tuple[str, str]] = []
    for p in corpus.getPaths():
        s = str(p)
        name = Path(s).stem
        if "/essenFolksong/" in s and s.endswith(".abc") and name not in _SKIP_ESSEN:
            out.append((s, "han" if name.startswith("han") else "essen"))
        elif "/oneills1850/" in s or "/ryansMammoth/" in s or "/airdsAirs/" in s:
            out.append((s, "celtic"))
        elif "/bach/" in s and "bwv" in name and s.endswith((".mxl", ".xml", ".krn")):
            out.append((s, "chorale"))
    return sorted(out)


def _chord_symbol_pcs(cs) -> tuple[int, int] | None:
    """(root pc, quality index) of a music21 ChordSymbol, reduced to maj/min/dim."""
    try:
        root = cs.root().pitchClass
        pcs = {(p.pitchClass - root) % 12 for p in cs.pitches}
    except Exception:  # noqa: BLE001 - odd symbols are skipped, not fatal
        return None
    if 3 in pcs and 6 in pcs and 7 not in pcs:
        q = "dim"
    elif 3 in pcs and 4 not in pcs:
        q = "min"
    else:
        q = "maj"
    return root, CHORD_QUALITIES_USED.index(q)


def score_to_record(score, collection: str, tune_id: str) -> dict | None:
    """Monophonic melody (top voice) and chord track of one music21 score; None if unusable."""
    from music21 import chord, harmony, meter, note, tempo

    parts = list(score.parts) if hasattr(score, "parts") and len(score.parts) else [score]
    named = [p for p in parts if "soprano" in str(p.partName or "").lower()]
    top = named[0] if named else parts[0]
    flat = top.flatten()
    sigs = {ts.ratioString for ts in flat.getElementsByClass(meter.TimeSignature)}
    if len(sigs) != 1:
        return None
    ts = sigs.pop()
    try:
        spb = steps_per_bar(ts)
    except (ValueError, ZeroDivisionError):
        return None
    if spb <= 0 or spb > 32 or spb % 2:
        return None
    # Align bar lines when the tune starts with a pickup bar.
    shift = 0.0
    measures = top.getElementsByClass("Measure")
    if len(measures):
        first = float(measures[0].highestTime)
        bar_ql = spb / STEPS_PER_BEAT
        if 0 < first < bar_ql - 1e-6:
            shift = bar_ql - first
    symbols: list[tuple[int, int, int]] = []
    mel: list[tuple[int, int, int]] = []
    for el in flat.notesAndRests:
        if isinstance(el, harmony.ChordSymbol):
            rq = _chord_symbol_pcs(el)
            if rq:
                symbols.append((int(round((float(el.offset) + shift) * STEPS_PER_BEAT)), *rq))
            continue
        if isinstance(el, note.Rest) or el.duration.quarterLength <= 0 or el.duration.isGrace:
            continue
        if isinstance(el, chord.Chord):
            if not el.pitches:
                continue
            pitch = max(p.midi for p in el.pitches)
        else:
            pitch = el.pitch.midi
        on = int(round((float(el.offset) + shift) * STEPS_PER_BEAT))
        dur = max(1, int(round(float(el.duration.quarterLength) * STEPS_PER_BEAT)))
        if mel and on < mel[-1][1] + 1:
            continue  # collided with the previous note after quantising
        if mel and on < mel[-1][1] + mel[-1][2]:
            p0, o0, _ = mel[-1]
            mel[-1] = (p0, o0, on - o0)
        mel.append((pitch, on, dur))
    if len(mel) < 8:
        return None
    pitches = np.array([m[0] for m in mel], dtype=np.int16)
    onsets = np.array([m[1] for m in mel], dtype=np.int32)
    durs = np.array([m[2] for m in mel], dtype=np.int32)
    if pitches.max() - pitches.min() > 36:
        return None
    # Key (and chords for chorales) from all voices when there are several.
    polyphonic = len(parts) > 1
    if polyphonic:
        allp, allo, alld = [], [], []
        for part in parts:
            for n in part.flatten().notes:
                if isinstance(n, harmony.ChordSymbol) or n.duration.quarterLength <= 0:
                    continue
                for p in n.pitches:
                    allp.append(p.midi)
                    allo.append(int(round((float(n.offset) + shift) * STEPS_PER_BEAT)))
                    alld.append(max(1, int(round(float(n.duration.quarterLength) * STEPS_PER_BEAT))))
        hp, ho, hd = np.array(allp), np.array(allo), np.array(alld)
    else:
        hp, ho, hd = pitches, onsets, durs
    tonic, mode = estimate_key(hp, hd)
    n_beats = int(np.ceil((onsets[-1] + durs[-1]) / STEPS_PER_BEAT))
    if len(symbols) >= max(2, n_beats // (2 * spb // STEPS_PER_BEAT or 1)):
        roots = np.full(n_beats, -1, dtype=np.int8)
        quals = np.zeros(n_beats, dtype=np.int8)
        for i, (on, r, q) in enumerate(symbols):
            end = symbols[i + 1][0] if i + 1 < len(symbols) else n_beats * STEPS_PER_BEAT
            b0, b1 = max(0, on // STEPS_PER_BEAT), min(n_beats, -(-end // STEPS_PER_BEAT))
            roots[b0:b1], quals[b0:b1] = r, q
        chord_source = "symbols"
    else:
        roots, quals = estimate_chords(hp, ho, hd, tonic, mode, n_beats, chord_window_beats(ts, polyphonic))
        chord_source = "estimated"
    title = str(getattr(score.metadata, "title", "") or "") if score.metadata else ""
    style = style_for(collection, title, ts)
    bpm = None
    marks = list(flat.getElementsByClass(tempo.MetronomeMark))
    if marks and marks[0].number:
        bpm = float(marks[0].getQuarterBPM() or marks[0].number)
    return {
        "tune_id": tune_id, "collection": collection, "style": style, "title": title[:80],
        "pitches": pitches, "onsets": onsets, "durations": durs, "tonic_pc": tonic, "mode": mode,
        "time_signature": ts, "tempo_bpm": bpm or DEFAULT_TEMPO.get(style, 100.0),
        "chord_roots": roots, "chord_quals": quals, "chord_source": chord_source,
    }


def parse_source(item: tuple[str, str]) -> list[dict]:
    """Every usable tune of one corpus file (an ABC opus holds many)."""
    from music21 import converter, stream

    path, collection = item
    try:
        obj = converter.parse(path)
    except Exception:  # noqa: BLE001 - a file music21 cannot read is skipped
        return []
    scores = list(obj.scores) if isinstance(obj, stream.Opus) else [obj]
    out = []
    for i, sc in enumerate(scores):
        try:
            rec = score_to_record(sc, collection, f"{Path(path).parent.name}/{Path(path).stem}#{i}")
        except Exception:  # noqa: BLE001 - one broken tune must not stop the build
            rec = None
        if rec:
            out.append(rec)
    return out


def records_to_tunes(records: list[dict]) -> list[Tune]:
    fields = Tune.__dataclass_fields__
    return [Tune(**{k: v for k, v in r.items() if k in fields}) for r in records]


def save_tunes(tunes: list[Tune], path: Path) -> None:
    """Concatenate the per-tune arrays and keep metadata as JSON inside the npz."""
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = [{"tune_id": t.tune_id, "collection": t.collection, "style": t.style, "title": t.title,
             "tonic_pc": t.tonic_pc, "mode": t.mode, "time_signature": t.time_signature,
             "tempo_bpm": t.tempo_bpm} for t in tunes]
    note_off = np.cumsum([0] + [len(t.pitches) for t in tunes])
    beat_off = np.cumsum([0] + [len(t.chord_roots) for t in tunes])
    np.savez_compressed(
        path,
        pitches=np.concatenate([t.pitches for t in tunes]).astype(np.int8),
        onsets=np.concatenate([t.onsets for t in tunes]).astype(np.int32),
        durations=np.concatenate([t.durations for t in tunes]).astype(np.int16),
        chord_roots=np.concatenate([t.chord_roots for t in tunes]).astype(np.int8),
        chord_quals=np.concatenate([t.chord_quals for t in tunes]).astype(np.int8),
        note_off=note_off, beat_off=beat_off,
        meta=np.array(json.dumps(meta)),
    )


def load_tunes(path: Path = DEFAULT_PATH) -> list[Tune]:
    """The cached corpus as ``Tune`` objects (already de-duplicated)."""
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        arrays = {k: z[k] for k in ("pitches", "onsets", "durations", "chord_roots", "chord_quals")}
        no, bo = z["note_off"], z["beat_off"]
    tunes = []
    for i, m in enumerate(meta):
        a, b = no[i], no[i + 1]
        c, d = bo[i], bo[i + 1]
        tunes.append(Tune(
            pitches=arrays["pitches"][a:b].astype(np.int16), onsets=arrays["onsets"][a:b],
            durations=arrays["durations"][a:b].astype(np.int32),
            chord_roots=arrays["chord_roots"][c:d], chord_quals=arrays["chord_quals"][c:d], **m,
        ))
    return tunes


def build_corpus(sources: list[tuple[str, str]], workers: int = 2, verbose: bool = True) -> list[Tune]:
    """Parse the sources in ``workers`` processes, biggest files first; de-duplicate."""
    sizes = sorted(sources, key=lambda s: -Path(s[0]).stat().st_size)
    records: list[dict] = []
    t0 = time.time()
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        for i, recs in enumerate(pool.imap_unordered(parse_source, sizes, chunksize=1), 1):
            records.extend(recs)
            if verbose and (i % 25 == 0 or i == len(sizes)):
                print(f"  parsed {i}/{len(sizes)} files, {len(records)} tunes, {time.time() - t0:.0f}s",
                      file=sys.stderr, flush=True)
    records.sort(key=lambda r: r["tune_id"])
    return dedup(records_to_tunes(records))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Parse music21's corpus into generators/data/corpus.npz")
    ap.add_argument("--out", type=Path, default=DEFAULT_PATH)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N source files (for quick tests)")
    args = ap.parse_args(argv)
    sources = corpus_sources()
    if args.limit:
        sources = sources[: args.limit]
    tunes = build_corpus(sources, args.workers)
    save_tunes(tunes, args.out)
    by = {}
    for t in tunes:
        by[t.style] = by.get(t.style, 0) + 1
    print(f"{len(tunes)} tunes after de-duplication -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB); "
          f"styles {by}")


if __name__ == "__main__":
    main()
