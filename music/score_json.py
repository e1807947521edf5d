"""Score <-> JSON-able dict, so versions can be stored and edited later."""

from __future__ import annotations

from music.score import ChordEvent, Note, Score, Section, Track


def note_to_list(n: Note) -> list:
    return [n.pitch, round(n.start, 5), round(n.duration, 5), n.velocity, n.lyric]


def score_to_dict(score: Score) -> dict:
    return {
        "tempo_bpm": score.tempo_bpm, "key": score.key, "mode": score.mode,
        "time_signature": list(score.time_signature), "bars": score.bars, "title": score.title,
        "tracks": [
            {"name": t.name, "program": t.program, "role": t.role, "is_drum": t.is_drum, "volume": t.volume,
             "pan": t.pan, "reverb": t.reverb, "notes": [note_to_list(n) for n in t.notes]}
            for t in score.tracks
        ],
        "sections": [[s.name, s.start_bar, s.bars] for s in score.sections],
        "chords": [[c.symbol, c.root, c.quality, c.start, c.duration] for c in score.chords],
    }


def dict_to_score(d: dict) -> Score:
    tracks = [
        Track(t["name"], t["program"], t["role"], t["is_drum"], [Note(*n) for n in t["notes"]], t["volume"],
              t["pan"], t["reverb"])
        for t in d["tracks"]
    ]
    return Score(
        d["tempo_bpm"], d["key"], d["mode"], tuple(d["time_signature"]), d["bars"], tracks,
        [Section(*s) for s in d["sections"]], [ChordEvent(*c) for c in d["chords"]], d.get("title", "Tunesmith piece"),
    )
