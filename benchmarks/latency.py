"""Compose-turn latency in process, app cold start, and the app's peak memory after ten turns.

Run: ``.venv/bin/python benchmarks/latency.py [--turns 15] [--skip-app]``. Prints numbers only;
targets (2-core CPU): turn p50 < 2 s, cold start < 20 s, peak RSS < 2.5 GB.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROMPTS = [
    "a sad, slow piano waltz in D minor at 70 bpm, 16 bars, with bass",
    "an upbeat folk tune on flute and guitar with drums, 16 bars",
    "来一首欢快的笛子曲，16小节，加鼓",
    "a calm lo-fi piece with rhodes, bass and drums, 16 bars",
    "a heroic march in B flat major for brass band, 16 bars",
]


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def bench_turns(n: int) -> dict[str, float]:
    from assistant.chat import ChatEngine
    from assistant.store import SessionStore

    with tempfile.TemporaryDirectory() as tmp:
        engine = ChatEngine(SessionStore(Path(tmp) / "db.sqlite"), Path(tmp) / "files")
        t0 = time.perf_counter()
        engine.turn("warmup", "a short piano piece, 4 bars")  # loads models once; excluded below
        load_s = time.perf_counter() - t0
        times, parts = [], []
        for i in range(n):
            r = engine.turn(f"s{i}", PROMPTS[i % len(PROMPTS)], seed=i)
            assert r.files["audio"], r.reply
            times.append(r.elapsed_s)
            parts.append(len(r.spec["instruments"]) if r.spec else 0)
        return {"first_turn_s (incl. model load)": load_s, "turn_p50_s": statistics.median(times),
                "turn_p95_s": percentile(times, 0.95), "generator": engine.generator.name,
                "mean_parts_in_spec": sum(parts) / len(parts)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def bench_app(turns: int = 10) -> dict[str, float]:
    from gradio_client import Client

    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, TUNESMITH_DATA=tmp, TUNESMITH_PORT=str(port))
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            while True:
                try:
                    urllib.request.urlopen(url, timeout=1)
                    break
                except OSError:
                    if proc.poll() is not None or time.perf_counter() - t0 > 120:
                        raise RuntimeError("app did not start") from None
                    time.sleep(0.2)
            cold = time.perf_counter() - t0
            client = Client(url, verbose=False)
            for i in range(turns):  # the scripting endpoint: same engine as the chat box
                client.predict(PROMPTS[i % len(PROMPTS)], "bench-session", api_name="/turn")
            return {"app_cold_start_s": cold, f"app_peak_rss_mb_after_{turns}_turns": peak_rss_mb(proc.pid)}
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--turns", type=int, default=15)
    ap.add_argument("--skip-app", action="store_true")
    args = ap.parse_args()
    results = bench_turns(args.turns)
    if not args.skip_app:
        results.update(bench_app())
    for k, v in results.items():
        print(f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}", flush=True)


if __name__ == "__main__":
    main()
