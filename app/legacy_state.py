"""The saga state of SQLite deployments from before leases, moved beside the events.

Those kept the saga's checkpoints and payment deadlines in `saga.sqlite3`; they now live
in the events file, with the leases that fence them (`eventstore.fencing`). The
checkpoints are a cache, but the deadlines are not: a payment whose deadline row was lost
would wait for ever. `shop migrate` copies both (rows the events file does not have yet)
and renames the old file, so the move happens once.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing

from config.settings import Settings

OLD_FILE = "saga.sqlite3"
TABLES = ("saga_checkpoints", "saga_deadlines")


def move_saga_state(settings: Settings) -> list[str]:
    """What was moved (`saga_deadlines from saga.sqlite3`, ...); nothing if no old file."""
    old = settings.data_dir / OLD_FILE
    if settings.event_store != "sqlite" or not old.exists():
        return []
    moved = []
    with closing(sqlite3.connect(settings.events_sqlite_path, timeout=30)) as conn:
        conn.execute("ATTACH DATABASE ? AS old", (str(old),))
        found = {row[0] for row in conn.execute("SELECT name FROM old.sqlite_master")}
        for table in TABLES:
            if table in found:
                conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM old.{table}")  # noqa: S608 - fixed names
                moved.append(f"{table} from {OLD_FILE}")
        conn.commit()
        conn.execute("DETACH DATABASE old")
    old.rename(old.with_name(OLD_FILE + ".moved"))
    return moved
