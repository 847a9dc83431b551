"""The SQLite file a simulator keeps its own state in, as a real provider keeps its own."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def open_state_file(path: Path | str, *schema: str) -> sqlite3.Connection:
    """Autocommit, shared across threads (callers hold their own lock), WAL with NORMAL
    sync: what was written survives a killed process. ":memory:" for a throwaway one."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    for statement in schema:
        db.execute(statement)
    return db
