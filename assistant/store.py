"""Sessions and versions in SQLite, so history survives restarts.

One database per data folder; each session's versions are its own. Every
write happens inside one transaction, so a crash mid-turn leaves earlier
versions intact.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    created REAL NOT NULL,
    current_version INTEGER
);
CREATE TABLE IF NOT EXISTS versions (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    number INTEGER NOT NULL,
    created REAL NOT NULL,
    parent INTEGER,
    intent TEXT NOT NULL,
    message TEXT NOT NULL,
    spec_json TEXT NOT NULL,
    seed INTEGER NOT NULL,
    score_json TEXT NOT NULL,
    latent_json TEXT,
    files_json TEXT NOT NULL,
    summary TEXT NOT NULL,
    PRIMARY KEY (session_id, number)
);
CREATE TABLE IF NOT EXISTS turns (
    session_id TEXT NOT NULL REFERENCES sessions(id),
    created REAL NOT NULL,
    message TEXT NOT NULL,
    reply TEXT NOT NULL,
    intent TEXT NOT NULL,
    version INTEGER,
    made_version INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True)
class Version:
    number: int
    parent: int | None
    intent: str
    message: str
    spec: dict
    seed: int
    score: dict
    latent: list[float] | None
    files: dict
    summary: str


@dataclass(frozen=True)
class Turn:
    """One logged chat turn; ``files`` are those of the version it made (empty when it made none)."""

    message: str
    reply: str
    intent: str
    version: int | None
    made_version: bool
    files: dict


class SessionStore:
    """A thin repository over one SQLite file; connections are per call, so threads may share it."""

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.db_path, timeout=30)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)  # executescript manages its own transaction
            cols = {row[1] for row in db.execute("PRAGMA table_info(turns)")}
            if "made_version" not in cols:  # data folders written before this column existed
                db.execute("ALTER TABLE turns ADD COLUMN made_version INTEGER NOT NULL DEFAULT 0")
                db.commit()

    @contextmanager
    def _tx(self):
        with closing(sqlite3.connect(self.db_path, timeout=30, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def ensure_session(self, session_id: str | None = None) -> str:
        session_id = session_id or uuid.uuid4().hex
        with self._tx() as db:
            db.execute("INSERT OR IGNORE INTO sessions (id, created) VALUES (?, ?)", (session_id, time.time()))
        return session_id

    def current_number(self, session_id: str) -> int | None:
        with self._tx() as db:
            row = db.execute("SELECT current_version FROM sessions WHERE id = ?", (session_id,)).fetchone()
        return row[0] if row else None

    def get(self, session_id: str, number: int) -> Version | None:
        with self._tx() as db:
            row = db.execute(
                "SELECT number, parent, intent, message, spec_json, seed, score_json, latent_json, files_json, summary "
                "FROM versions WHERE session_id = ? AND number = ?", (session_id, number)).fetchone()
        if not row:
            return None
        return Version(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], json.loads(row[6]),
                       json.loads(row[7]) if row[7] else None, json.loads(row[8]), row[9])

    def current(self, session_id: str) -> Version | None:
        n = self.current_number(session_id)
        return self.get(session_id, n) if n else None

    def list_versions(self, session_id: str) -> list[tuple[int, str, str]]:
        """(number, intent, summary) of every version, oldest first."""
        with self._tx() as db:
            return list(db.execute(
                "SELECT number, intent, summary FROM versions WHERE session_id = ? ORDER BY number", (session_id,)))

    def next_number(self, session_id: str) -> int:
        with self._tx() as db:
            row = db.execute("SELECT MAX(number) FROM versions WHERE session_id = ?", (session_id,)).fetchone()
        return (row[0] or 0) + 1

    def add_version(self, session_id: str, v: Version) -> None:
        """Store a version and make it current, atomically."""
        with self._tx() as db:
            _insert_version(db, session_id, v)
            db.execute("UPDATE sessions SET current_version = ? WHERE id = ?", (v.number, session_id))

    def set_current(self, session_id: str, number: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE sessions SET current_version = ? WHERE id = ?", (number, session_id))

    def log_turn(self, session_id: str, message: str, reply: str, intent: str, version: int | None) -> None:
        with self._tx() as db:
            db.execute("INSERT INTO sessions (id, created) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
                       (session_id, time.time()))
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, 0)",
                       (session_id, time.time(), message, reply, intent, version))

    def commit_turn(self, session_id: str, message: str, reply: str, intent: str, version: Version | None = None,
                    current: int | None = None) -> None:
        """One turn in one transaction: the new version (if any), the current pointer and the chat log.

        Either all of it is stored or none of it, so a crash mid-turn never leaves a
        half-written version or a log line that points at a version that does not exist.
        """
        with self._tx() as db:
            db.execute("INSERT INTO sessions (id, created) VALUES (?, ?) ON CONFLICT(id) DO NOTHING",
                       (session_id, time.time()))
            if version is not None:
                _insert_version(db, session_id, version)
                current = version.number
            if current is not None:
                db.execute("UPDATE sessions SET current_version = ? WHERE id = ?", (current, session_id))
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (session_id, time.time(), message, reply, intent,
                        version.number if version is not None else current, int(version is not None)))

    def turns(self, session_id: str) -> list[tuple[str, str, str, int | None]]:
        """(message, reply, intent, version) of every turn, oldest first."""
        with self._tx() as db:
            return list(db.execute(
                "SELECT message, reply, intent, version FROM turns WHERE session_id = ? ORDER BY rowid",
                (session_id,)))

    def history(self, session_id: str) -> list[Turn]:
        """Every turn with the files of the version it made, to redraw a conversation after a restart."""
        with self._tx() as db:
            rows = list(db.execute(
                "SELECT t.message, t.reply, t.intent, t.version, t.made_version, v.files_json FROM turns t "
                "LEFT JOIN versions v ON v.session_id = t.session_id AND v.number = t.version "
                "WHERE t.session_id = ? ORDER BY t.rowid", (session_id,)))
        return [Turn(m, r, i, n, bool(made), json.loads(f) if f and made else {}) for m, r, i, n, made, f in rows]

    def version_files(self, session_id: str) -> list[tuple[int, str, dict]]:
        """(number, summary, files) of every version, oldest first: the panel's play/download list."""
        with self._tx() as db:
            rows = list(db.execute("SELECT number, summary, files_json FROM versions WHERE session_id = ? "
                                   "ORDER BY number", (session_id,)))
        return [(n, s, json.loads(f)) for n, s, f in rows]

    def session_exists(self, session_id: str) -> bool:
        with self._tx() as db:
            return db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None


def _insert_version(db: sqlite3.Connection, session_id: str, v: Version) -> None:
    db.execute(
        "INSERT INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (session_id, v.number, time.time(), v.parent, v.intent, v.message, json.dumps(v.spec), v.seed,
         json.dumps(v.score), json.dumps(v.latent) if v.latent is not None else None, json.dumps(v.files),
         v.summary))
