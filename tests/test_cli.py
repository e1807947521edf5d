"""The CLI contract other tools rely on: one JSON object per turn, follow-ups in the same folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pretty_midi

SPEC_KEYS = {"tempo_bpm", "key", "mode", "time_signature", "bars", "duration_s", "instruments", "drums", "mood",
             "valence", "arousal", "style", "seed", "lyrics"}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, TUNESMITH_GENERATOR="baseline")
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


def test_chat_json_contract_and_follow_up(tmp_path):
    session = tmp_path / "conv"
    first = run_cli("chat", "a sad, slow piano waltz in D minor at 70 bpm", "--session", str(session),
                    "--seed", "3", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    out = json.loads(first.stdout)  # exactly one JSON object on stdout
    assert set(out) >= {"reply", "intent", "version", "spec", "files", "warnings"}
    assert out["intent"] == "compose" and out["version"] == 1
    assert SPEC_KEYS <= set(out["spec"])
    assert out["spec"]["seed"] == 3 and out["spec"]["tempo_bpm"] == 70.0
    for kind in ("midi", "audio", "musicxml", "image"):
        assert out["files"][kind] and Path(out["files"][kind]).is_absolute() and Path(out["files"][kind]).is_file()
    pm = pretty_midi.PrettyMIDI(out["files"]["midi"])
    assert abs(pm.get_tempo_changes()[1][0] - 70.0) < 0.01

    second = run_cli("chat", "make it 140 bpm", "--session", str(session), "--json", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    out2 = json.loads(second.stdout)
    assert out2["version"] == 2
    assert out2["spec"]["tempo_bpm"] == 140.0
    assert Path(out["files"]["midi"]).is_file(), "version 1 must be kept"


def test_bad_input_gets_help_not_traceback(tmp_path):
    res = run_cli("chat", "   ", "--session", str(tmp_path / "s"), "--json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert out["version"] is None and "Tunesmith" in out["reply"]
    assert "Traceback" not in res.stdout


def test_parse_jsonl_prints_a_spec_per_line(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "a march at 120 bpm"}\n{"id": "b", "text": "slow piano, 60 bpm"}\n')
    res = run_cli("parse", "--jsonl", str(src), "--lexicon-only", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[0]["spec"]["tempo_bpm"] == 120.0 and rows[1]["spec"]["tempo_bpm"] == 60.0
    assert all(SPEC_KEYS <= set(r["spec"]) for r in rows)
