"""A content-hash cache of per-file facts, in the user's cache folder.

One SQLite file (stdlib, crash-safe, one file instead of thousands) maps
``sha256(tool version, queries hash, language, path, content)`` to the pickled
``FileFacts``. It never lives inside the scanned repository. A corrupt,
locked or foreign cache is ignored (and rebuilt when possible), never fatal.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import zlib

from .extract import queries_hash
from .model import FileFacts

SCHEMA = 1


def default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "deadcode")


class FactsCache:
    def __init__(self, directory: str | None, version: str):
        self.directory = directory or default_cache_dir()
        self.salt = f"{SCHEMA}|{version}|{queries_hash()}|".encode()
        self.pending: list[tuple[str, bytes]] = []
        self.hits = 0
        self.misses = 0
        self.db: sqlite3.Connection | None = None
        self.error: str | None = None
        self._open()

    def _open(self) -> None:
        path = os.path.join(self.directory, "facts.sqlite3")
        for attempt in range(2):
            try:
                os.makedirs(self.directory, exist_ok=True)
                db = sqlite3.connect(path, timeout=5, isolation_level=None)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, value BLOB)")
                db.execute("SELECT key FROM facts LIMIT 1").fetchall()
                self.db = db
                return
            except (sqlite3.Error, OSError) as exc:
                self.error = f"cache disabled: {exc}"
                if attempt == 0 and isinstance(exc, sqlite3.DatabaseError) and os.path.isfile(path):
                    try:  # a corrupt or foreign file: start again
                        os.replace(path, path + ".corrupt")
                    except OSError:
                        return
                    continue
                return

    def key(self, path: str, lang: str, data: bytes) -> str:
        h = hashlib.sha256(self.salt)
        h.update(lang.encode())
        h.update(b"\0")
        h.update(path.encode("utf-8", "surrogateescape"))
        h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def get(self, key: str) -> FileFacts | None:
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM facts WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            self.misses += 1
            return None
        if row is None:
            self.misses += 1
            return None
        try:
            value = pickle.loads(zlib.decompress(row[0]))
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            self.misses += 1
            return None
        if not isinstance(value, FileFacts):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, facts: FileFacts) -> None:
        if self.db is None:
            return
        self.pending.append((key, zlib.compress(pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL), 1)))

    def flush(self) -> None:
        if self.db is None or not self.pending:
            return
        try:
            self.db.execute("BEGIN")
            self.db.executemany("INSERT OR REPLACE INTO facts (key, value) VALUES (?, ?)", self.pending)
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self.error = f"cache not written: {exc}"
            try:
                self.db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
        self.pending = []
