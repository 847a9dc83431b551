"""Hot lookups in the SQL read database: the embedded default when no Redis is configured."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.core import Doc, Docs, Key
from projections.hot_lookups.view import HotLookups
from projections.sqlbase import SqlView
from projections.sqlstore import dumps, loads, replace_rows, select_in


@cache
def lookup_table(generation: int) -> sa.Table:
    return sa.Table(
        f"rm_lookups_g{generation}",
        sa.MetaData(),
        sa.Column("kind", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("doc", sa.Text, nullable=False),
    )


class SqlHotLookups(SqlView, HotLookups):
    """`rm_lookups_g<N>`: one row per (kind, key), e.g. ("stock", "SKU-1"), doc as JSON."""

    def __init__(self, engine: Engine) -> None:
        SqlView.__init__(self, engine)
        HotLookups.__init__(self)

    def tables(self, generation: int) -> list[sa.Table]:
        return [lookup_table(generation)]

    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]:
        table = lookup_table(generation)
        by_kind: dict[str, list[str]] = {}
        for kind, key in keys:
            by_kind.setdefault(kind, []).append(key)
        return {
            (kind, key): loads(doc)
            for kind, ids in by_kind.items()
            for key, doc in select_in(conn, table, ["key", "doc"], ["kind", "key"], (kind,), ids)
        }

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        rows = [(kind, key, dumps(doc)) for (kind, key), doc in docs.changed_docs().items()]
        replace_rows(conn, lookup_table(generation), ["kind", "key"], rows)

    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        table = lookup_table(generation)
        query = sa.select(table.c.kind, table.c.key, table.c.doc)
        return {f"{kind}:{key}": doc for kind, key, doc in conn.execute(query)}  # as stored

    def lookup(self, kind: str, key: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            table = lookup_table(self._live(conn) or 0)
            query = sa.select(table.c.doc).where(table.c.kind == kind, table.c.key == key)
            doc = conn.execute(query).scalar()
        return None if doc is None else loads(doc)
