"""A throw-away PostgreSQL schema, so tests and benchmark runs share one server without coupling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote
from uuid import uuid4

import psycopg


@contextmanager
def fresh_schema(dsn: str) -> Iterator[str]:
    name = f"t_{uuid4().hex[:12]}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{name}" CASCADE')


def analyze(dsn: str, schema: str) -> None:
    """Planner statistics for the schema's tables, as autovacuum gathers after a bulk load.

    Without them a read of the log after a position estimates a few rows, scans and sorts
    everything up to the head and keeps the first batch: every batch costs the rest of the log.
    """
    with psycopg.connect(dsn, autocommit=True) as conn:
        query = "SELECT tablename FROM pg_tables WHERE schemaname = %s"
        for (table,) in conn.execute(query, [schema]).fetchall():
            conn.execute(f'ANALYZE "{schema}"."{table}"')


def search_path_url(dsn: str, schema: str) -> str:
    """A SQLAlchemy URL of `dsn` whose connections work in `schema`."""
    url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{url}?options={quote(f'-csearch_path={schema}')}"
