"""The SQL views' plumbing: bookkeeping tables, prepared statements, engines, JSON.

Bookkeeping lives in tables beside the views: `rm_tracking(projection, generation,
position)`, `rm_generations(projection, live)` (the pointer a rebuild flips in one
UPDATE) and `rm_parked` (parked events applied since, once each).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from eventstore.leases import ending_stalled_transactions

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


def create_sql_engine(url: str, idle_transaction_s: float = 60) -> Engine:
    """An engine whose write transactions on SQLite take the write lock up front.

    A deferred SQLite transaction that reads, then writes, fails at once with "database
    is locked" when another writer committed in between; BEGIN IMMEDIATE waits instead.
    Views are disposable (rebuildable from the log), so `synchronous=NORMAL` is enough.
    On PostgreSQL a transaction left idle `idle_transaction_s` is ended by the server: a
    stalled worker does not keep its position and lease rows locked (the lease time).
    """
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return sa.create_engine(ending_stalled_transactions(parsed, idle_transaction_s))
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


def insert_rows(conn: Connection, table: sa.Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Append `rows` (values in the table's column order) in bulk, inside `conn`'s
    transaction: one COPY on PostgreSQL, one executemany of a plain INSERT on SQLite.

    Both go to the driver directly: SQLAlchemy's per-row parameter handling cost more than
    the database's work for the small rows of a view.
    """
    if not rows:
        return
    names = ", ".join(_quoted(conn, table))
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        copy_sql = f"COPY {table.name} ({names}) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" * len(table.columns))
    driver.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)  # type: ignore[union-attr]


def replace_rows(
    conn: Connection, table: sa.Table, keys: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Write `rows` (values in column order; the `keys` columns first), replacing the rows
    with the same keys: on SQLite one executemany of INSERT OR REPLACE; on PostgreSQL a
    DELETE by an array of keys (per value of the leading keys) and one COPY."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        names = ", ".join(_quoted(conn, table))
        marks = ", ".join("?" * len(table.columns))
        sql = f"INSERT OR REPLACE INTO {table.name} ({names}) VALUES ({marks})"
        conn.connection.driver_connection.executemany(sql, rows)  # type: ignore[union-attr]
        return
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for row in rows:
        groups.setdefault(row[: len(keys) - 1], []).append(row[len(keys) - 1])
    where = _where_in(conn, keys)
    with conn.connection.driver_connection.cursor() as cursor:  # type: ignore[union-attr]
        for leading, last in groups.items():
            cursor.execute(f"DELETE FROM {table.name} WHERE {where}", [*leading, last])
    insert_rows(conn, table, rows)


def select_in(
    conn: Connection,
    table: sa.Table,
    columns: Sequence[str],
    keys: Sequence[str],
    leading: tuple[Any, ...],
    values: Sequence[Any],
) -> list[tuple[Any, ...]]:
    """`columns` of the rows whose `keys` are `(*leading, v)` for each v in `values`:
    on PostgreSQL one query with an array (an index scan whatever the number), on SQLite
    one per 500 values."""
    if not values:
        return []
    names = ", ".join(conn.dialect.identifier_preparer.quote(c) for c in columns)
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        sql = f"SELECT {names} FROM {table.name} WHERE {_where_in(conn, keys)}"
        with driver.cursor() as cursor:  # type: ignore[union-attr]
            return list(cursor.execute(sql, [*leading, list(values)]).fetchall())
    found: list[tuple[Any, ...]] = []
    equal = "".join(f"{conn.dialect.identifier_preparer.quote(k)} = ? AND " for k in keys[:-1])
    last = conn.dialect.identifier_preparer.quote(keys[-1])
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT {names} FROM {table.name} WHERE {equal}{last} IN ({marks})"
        found += driver.execute(sql, (*leading, *chunk)).fetchall()  # type: ignore[union-attr]
    return found


def _where_in(conn: Connection, keys: Sequence[str]) -> str:
    """PostgreSQL: the leading keys equal to parameters, the last one in an array."""
    quote = conn.dialect.identifier_preparer.quote
    return "".join(f"{quote(k)} = %s AND " for k in keys[:-1]) + f"{quote(keys[-1])} = ANY(%s)"


def _quoted(conn: Connection, table: sa.Table) -> list[str]:
    return [conn.dialect.identifier_preparer.quote(column.name) for column in table.columns]


def dumps(value: Any) -> str:
    """Compact JSON with sorted keys (orjson: the view writes' hot path)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS, default=str).decode()


loads = orjson.loads
