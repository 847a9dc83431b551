"""The store's own ceiling: single-row commits per second, with nothing of ours on top.

Every checkout figure is read as a fraction of this number: a checkout that needs ten
commits can never beat a tenth of it unless commits are grouped.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

import psycopg

ROW = b"x" * 200  # about the size of one stored event


def sqlite_commits_per_s(seconds: float = 1.0, synchronous: str = "FULL") -> float:
    with tempfile.TemporaryDirectory() as folder:
        db = sqlite3.connect(Path(folder) / "raw.sqlite3", isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA synchronous={synchronous}")
        db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, state BLOB)")
        count, deadline = 0, time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            db.execute("BEGIN")
            db.execute("INSERT INTO t (state) VALUES (?)", (ROW,))
            db.execute("COMMIT")
            count += 1
        elapsed = time.perf_counter() - started
        db.close()
    return count / elapsed


def postgres_commits_per_s(dsn: str, seconds: float = 1.0) -> float:
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TEMP TABLE raw_bench (id BIGSERIAL PRIMARY KEY, state BYTEA)")
        count, deadline = 0, time.perf_counter() + seconds
        started = time.perf_counter()
        while time.perf_counter() < deadline:
            with conn.transaction():
                conn.execute("INSERT INTO raw_bench (state) VALUES (%s)", (ROW,))
            count += 1
        return count / (time.perf_counter() - started)
