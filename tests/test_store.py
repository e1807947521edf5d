"""The SQLite store: history survives a new process, sessions are isolated, a crash mid-turn loses nothing."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from assistant.store import SessionStore, Version


def version(n: int, parent: int | None = None, tempo: float = 100.0) -> Version:
    return Version(n, parent, "compose", f"message {n}", {"tempo_bpm": tempo}, n, {"tracks": []}, None,
                   {"midi": f"/tmp/v{n}.mid"}, f"Version {n}")


def test_versions_and_turns_survive_a_new_store_on_the_same_file(tmp_path):
    db = tmp_path / "t.sqlite"
    s = SessionStore(db)
    s.commit_turn("a", "first", "made v1", "compose", version(1))
    s.commit_turn("a", "second", "made v2", "edit", version(2, 1, 120.0))
    s.commit_turn("a", "what key?", "C major", "question", None, None)
    again = SessionStore(db)
    assert again.current_number("a") == 2
    assert again.get("a", 2).spec == {"tempo_bpm": 120.0} and again.get("a", 2).parent == 1
    hist = again.history("a")
    assert [(t.message, t.made_version) for t in hist] == [("first", True), ("second", True), ("what key?", False)]
    assert hist[0].files == {"midi": "/tmp/v1.mid"} and hist[2].files == {}


def test_sessions_are_isolated(tmp_path):
    s = SessionStore(tmp_path / "t.sqlite")
    s.commit_turn("a", "x", "y", "compose", version(1, tempo=80))
    s.commit_turn("b", "x", "y", "compose", version(1, tempo=150))
    s.commit_turn("b", "x", "y", "edit", version(2, 1, tempo=160))
    assert [n for n, *_ in s.list_versions("a")] == [1]
    assert s.get("a", 1).spec["tempo_bpm"] == 80 and s.get("b", 1).spec["tempo_bpm"] == 150
    assert s.get("a", 2) is None and s.history("c") == []


def test_a_failed_turn_writes_nothing(tmp_path):
    s = SessionStore(tmp_path / "t.sqlite")
    s.commit_turn("a", "first", "v1", "compose", version(1))
    with pytest.raises(sqlite3.IntegrityError):  # same number again: the whole turn is rolled back
        s.commit_turn("a", "dup", "dup", "edit", version(1))
    assert s.current_number("a") == 1 and [t.message for t in s.history("a")] == ["first"]


def test_a_process_killed_mid_write_leaves_earlier_versions_intact(tmp_path):
    db = tmp_path / "t.sqlite"
    s = SessionStore(db)
    s.commit_turn("a", "first", "v1", "compose", version(1))
    crash = textwrap.dedent(f"""
        import os
        from assistant import store
        from tests.test_store import version
        s = store.SessionStore({str(db)!r})
        real = store._insert_version
        def insert_then_die(db, sid, v):
            real(db, sid, v)
            os._exit(9)  # the power goes out after the INSERT, before COMMIT
        store._insert_version = insert_then_die
        s.commit_turn("a", "second", "v2", "edit", version(2, 1))
    """)
    res = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parents[1])
    assert res.returncode == 9, res.stderr
    after = SessionStore(db)
    assert [n for n, *_ in after.list_versions("a")] == [1]
    assert after.current_number("a") == 1 and after.get("a", 1).message == "message 1"
    after.commit_turn("a", "second", "v2", "edit", version(2, 1))  # and the session carries on
    assert after.current_number("a") == 2


def test_parallel_writers_in_different_sessions(tmp_path):
    s = SessionStore(tmp_path / "t.sqlite")
    errors: list[Exception] = []

    def worker(sid: str) -> None:
        try:
            for n in range(1, 6):
                s.commit_turn(sid, f"m{n}", "r", "edit", version(n, n - 1 or None))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(f"s{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all([n for n, *_ in s.list_versions(f"s{i}")] == [1, 2, 3, 4, 5] for i in range(8))


def test_old_database_without_the_made_version_column_is_upgraded(tmp_path):
    db = tmp_path / "old.sqlite"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE turns (session_id TEXT, created REAL, message TEXT, reply TEXT, intent TEXT, "
                    "version INTEGER)")
        con.execute("INSERT INTO turns VALUES ('a', 1.0, 'hi', 'hello', 'help', NULL)")
    s = SessionStore(db)
    assert [(t.message, t.made_version) for t in s.history("a")] == [("hi", False)]
