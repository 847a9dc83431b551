"""The SQL views' plumbing: bookkeeping tables, prepared statements, engines, JSON.

Bookkeeping lives in tables beside the views: `rm_tracking(projection, generation,
position)`, `rm_generations(projection, live)` (the pointer a rebuild flips in one
UPDATE) and `rm_parked` (parked events applied since, once each).
"""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

META = sa.MetaData()
TRACKING = sa.Table(
    "rm_tracking",
    META,
    sa.Column("projection", sa.String(64), primary_key=True),
    sa.Column("generation", sa.Integer, primary_key=True),
    sa.Column("position", sa.BigInteger, nullable=False),
)
GENERATIONS = sa.Table(
    "rm_generations",
    META,
    sa.Column("projection", sa.String(64), primary_key=True),
    sa.Column("live", sa.Integer, nullable=False),
)
# Parked events applied later by `apply_parked`, so a retry repeated applies nothing.
PARKED = sa.Table(
    "rm_parked",
    META,
    sa.Column("projection", sa.String(64), primary_key=True),
    sa.Column("generation", sa.Integer, primary_key=True),
    sa.Column("position", sa.BigInteger, primary_key=True),
)
# Built once: every batch runs these, and building a statement costs more than running it.
_THIS = TRACKING.c.projection == sa.bindparam("name")
LIVE = sa.select(GENERATIONS.c.live).where(GENERATIONS.c.projection == sa.bindparam("name"))
POSITION = sa.select(TRACKING.c.position).where(_THIS, TRACKING.c.generation == sa.bindparam("gen"))
POSITION_LOCKED = POSITION.with_for_update()
ADVANCE = (
    TRACKING.update()
    .where(_THIS, TRACKING.c.generation == sa.bindparam("gen"))
    .values(position=sa.bindparam("upto"))
)


def create_sql_engine(url: str) -> Engine:
    """An engine whose write transactions on SQLite take the write lock up front.

    A deferred SQLite transaction that reads, then writes, fails at once with "database
    is locked" when another writer committed in between; BEGIN IMMEDIATE waits instead.
    Views are disposable (rebuildable from the log), so `synchronous=NORMAL` is enough.
    """
    engine = sa.create_engine(url)
    if engine.dialect.name != "sqlite":
        return engine

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we send BEGIN ourselves
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=30000"):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys (orjson: the view writes' hot path)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str).decode()


loads = orjson.loads
