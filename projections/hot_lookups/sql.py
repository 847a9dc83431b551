"""Hot lookups in the SQL read database: the embedded default when no Redis is configured."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.core import Doc, Docs, Key
from projections.hot_lookups.view import HotLookups
from projections.sqlbase import SqlView
from projections.sqlstore import dumps, loads


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
        found: dict[Key, Doc] = {}
        by_kind: dict[str, list[str]] = {}
        for kind, key in keys:
            by_kind.setdefault(kind, []).append(key)
        for kind, ids in by_kind.items():
            for start in range(0, len(ids), 500):
                query = sa.select(table.c.key, table.c.doc).where(
                    table.c.kind == kind, table.c.key.in_(ids[start : start + 500])
                )
                found |= {(kind, key): loads(doc) for key, doc in conn.execute(query)}
        return found

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        table = lookup_table(generation)
        changed = docs.changed_docs()
        if not changed:
            return
        delete = table.delete().where(
            table.c.kind == sa.bindparam("k"), table.c.key == sa.bindparam("i")
        )
        conn.execute(delete, [{"k": kind, "i": key} for kind, key in changed])
        rows = [{"kind": k, "key": i, "doc": dumps(doc)} for (k, i), doc in changed.items()]
        conn.execute(table.insert(), rows)

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
