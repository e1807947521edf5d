"""Conversation load: N sessions at once through ``gradio_client`` against a served app.

Starts ``tunesmith serve`` in a subprocess on a free port (its own data folder),
runs ``--sessions`` sessions in parallel, each making ``--turns`` turns
(compose at its own tempo, add drums, transpose, ...), checks that no session
sees another's versions, and prints the p50/p95 turn latency under that load.

    .venv/bin/python benchmarks/conversation.py [--sessions 8] [--turns 3] [--generator auto|baseline]

``tests/test_app.py`` reuses ``start_server`` and ``run_sessions``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLLOW_UPS = ("add drums", "transpose up 2 semitones", "switch the melody to violin", "what key is it in?",
              "make it 4 bars longer")


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def start_server(data: Path, port: int | None = None, generator: str = "baseline",
                 timeout_s: float = 180.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """``tunesmith serve`` in a subprocess; yields (url, process) once it answers, stops it afterwards."""
    port = port or free_port()
    env = dict(os.environ, TUNESMITH_GENERATOR=generator, GRADIO_ANALYTICS_ENABLED="False",
               PYTHONUNBUFFERED="1")
    log = open(data.parent / f"server-{port}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--data", str(data)], cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}: "
                                   f"{(data.parent / f'server-{port}.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"server did not answer on {url} within {timeout_s:.0f} s")
            time.sleep(0.5)
        yield url, proc
    finally:
        stop_server(proc)
        log.close()


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


@dataclass
class SessionRun:
    session_id: str
    tempo: float
    results: list[dict] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    error: str | None = None


def first_prompt(i: int) -> tuple[str, float]:
    tempo = 70.0 + 7 * i
    return f"a calm piano piece in C major at {tempo:g} bpm, 8 bars", tempo


def run_session(url: str, i: int, turns: int, barrier: threading.Barrier | None = None) -> SessionRun:
    from gradio_client import Client

    prompt, tempo = first_prompt(i)
    run = SessionRun(f"load-{i}-{os.getpid()}-{time.time_ns()}", tempo)
    try:
        client = Client(url, verbose=False)
        if barrier is not None:
            barrier.wait(timeout=120)
        messages = [prompt, *FOLLOW_UPS][:turns]
        for msg in messages:
            t0 = time.perf_counter()
            out = client.predict(msg, run.session_id, api_name="/turn")
            run.latencies.append(time.perf_counter() - t0)
            run.results.append(out)
    except Exception as exc:  # reported by check_no_cross_talk
        run.error = f"{type(exc).__name__}: {exc}"
    return run


def run_sessions(url: str, sessions: int = 8, turns: int = 3) -> list[SessionRun]:
    """All sessions start together (a barrier), each in its own thread and client."""
    barrier = threading.Barrier(sessions)
    runs: list[SessionRun | None] = [None] * sessions

    def work(i: int) -> None:
        runs[i] = run_session(url, i, turns, barrier)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(sessions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in runs if r is not None]


def check_no_cross_talk(url: str, runs: list[SessionRun], turns: int) -> list[str]:
    """Problems found: errors, wrong version numbers, another session's tempo, a history that is not ours."""
    from gradio_client import Client

    problems = []
    client = Client(url, verbose=False)
    for r in runs:
        if r.error:
            problems.append(f"{r.session_id}: {r.error}")
            continue
        made = [x["version"] for x in r.results if x.get("new_version")]
        if made != list(range(1, len(made) + 1)):
            problems.append(f"{r.session_id}: versions {made}")
        for x in r.results:
            if x.get("intent") == "error" or x.get("session_id") != r.session_id:
                problems.append(f"{r.session_id}: bad reply {x.get('intent')} {x.get('session_id')}")
            if not x.get("spec") or x["spec"]["tempo_bpm"] != r.tempo:
                problems.append(f"{r.session_id}: tempo {x.get('spec', {}) and x['spec'].get('tempo_bpm')} "
                                f"!= {r.tempo}")
        hist = client.predict(r.session_id, api_name="/history")
        if [t["message"] for t in hist["turns"]] != [first_prompt(runs.index(r))[0], *FOLLOW_UPS][:turns]:
            problems.append(f"{r.session_id}: history holds other turns")
        if [v["number"] for v in hist["versions"]] != made:
            problems.append(f"{r.session_id}: stored versions {[v['number'] for v in hist['versions']]}")
    return problems


def percentile(values: list[float], q: float) -> float:
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--turns", type=int, default=3)
    ap.add_argument("--generator", default="auto", help="TUNESMITH_GENERATOR for the server (auto = what users get)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        t0 = time.perf_counter()
        with start_server(data, generator=args.generator) as (url, _):
            start_s = time.perf_counter() - t0
            # one warm-up turn: the first parse loads the sentence-embedding model
            run_session(url, 99, 1)
            alone = run_session(url, 98, args.turns)  # the same turns with no other session running
            t1 = time.perf_counter()
            runs = run_sessions(url, args.sessions, args.turns)
            wall = time.perf_counter() - t1
            problems = check_no_cross_talk(url, runs, args.turns)
    lat = [x for r in runs for x in r.latencies]
    first = [r.latencies[0] for r in runs if r.latencies]
    print(f"cpu cores: {os.cpu_count()}  generator: {args.generator}  server start: {start_s:.1f} s")
    print(f"sessions: {args.sessions}  turns each: {args.turns}  turns done: {len(lat)}  wall: {wall:.1f} s  "
          f"throughput: {len(lat) / wall:.2f} turns/s")
    print(f"turn latency, one session alone: p50 {statistics.median(alone.latencies):.2f} s  "
          f"max {max(alone.latencies):.2f} s")
    print(f"turn latency under load: p50 {statistics.median(lat):.2f} s  p95 {percentile(lat, 0.95):.2f} s  "
          f"max {max(lat):.2f} s")
    print(f"compose turns: p50 {statistics.median(first):.2f} s  follow-ups: p50 "
          f"{statistics.median([x for r in runs for x in r.latencies[1:]] or [float('nan')]):.2f} s")
    print(f"cross-talk or errors: {len(problems)}")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
