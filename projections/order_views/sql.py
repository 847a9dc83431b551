"""Order views in SQL (SQLite by default, PostgreSQL in production), a table set per generation."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.core import Doc, Docs, Key
from projections.order_views.view import OrderViews
from projections.sqlbase import SqlView
from projections.sqlstore import dumps, loads


@cache
def order_tables(generation: int) -> tuple[sa.Table, sa.Table]:
    meta = sa.MetaData()
    orders = sa.Table(
        f"rm_orders_g{generation}",
        meta,
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("placed_position", sa.BigInteger, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Index(f"ix_rm_orders_g{generation}_customer", "customer_id", "placed_position"),
    )
    timeline = sa.Table(
        f"rm_order_timeline_g{generation}",
        meta,
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("entry", sa.Text, nullable=False),
    )
    return orders, timeline


class SqlOrderViews(SqlView, OrderViews):
    """`rm_orders_g<N>`: one row per order, its detail as JSON plus the columns history
    filters on; `rm_order_timeline_g<N>`: one row per (order, log position)."""

    def __init__(self, engine: Engine) -> None:
        SqlView.__init__(self, engine)
        OrderViews.__init__(self)

    def tables(self, generation: int) -> list[sa.Table]:
        return list(order_tables(generation))

    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]:
        orders, _ = order_tables(generation)
        ids = [key for kind, key in keys if kind == "order"]
        found: dict[Key, Doc] = {}
        for start in range(0, len(ids), 500):
            query = sa.select(orders.c.order_id, orders.c.doc).where(
                orders.c.order_id.in_(ids[start : start + 500])
            )
            found |= {("order", oid): loads(doc) for oid, doc in conn.execute(query)}
        return found

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        orders, timeline = order_tables(generation)
        changed = docs.changed_docs()
        if changed:
            ids = [key for _, key in changed]
            for start in range(0, len(ids), 500):
                conn.execute(orders.delete().where(orders.c.order_id.in_(ids[start : start + 500])))
            conn.execute(orders.insert(), [self._order_row(doc) for doc in changed.values()])
        entries = [row for kind, row in docs.appended if kind == "timeline"]
        if entries:
            conn.execute(timeline.insert(), [self._entry_row(row) for row in entries])

    @staticmethod
    def _order_row(doc: Doc) -> dict[str, Any]:
        return {
            "order_id": doc["order_id"],
            "customer_id": doc["customer_id"],
            "status": doc["status"],
            "placed_position": doc["placed_position"],
            "doc": dumps(doc),
        }

    @staticmethod
    def _entry_row(row: Doc) -> dict[str, Any]:
        return {"order_id": row["order_id"], "position": row["position"], "entry": dumps(row)}

    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        orders, timeline = order_tables(generation)
        found: dict[str, Any] = {}
        for oid, doc in conn.execute(sa.select(orders.c.order_id, orders.c.doc)):
            found[f"order:{oid}"] = doc  # as stored: dumps() is canonical
        query = sa.select(timeline.c.order_id, timeline.c.position, timeline.c.entry)
        for oid, position, entry in conn.execute(query):
            found[f"timeline:{oid}:{position}"] = entry
        return found

    # -- reads -----------------------------------------------------------------------
    def get_order(self, order_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            orders, _ = order_tables(self._live(conn) or 0)
            query = sa.select(orders.c.doc).where(orders.c.order_id == order_id)
            doc = conn.execute(query).scalar()
        return None if doc is None else loads(doc)

    def customer_orders(
        self, customer_id: str, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        with self.engine.connect() as conn, conn.begin():
            orders, _ = order_tables(self._live(conn) or 0)
            where = [orders.c.customer_id == customer_id]
            if status:
                where.append(orders.c.status == status)
            total = conn.execute(sa.select(sa.func.count()).where(*where)).scalar() or 0
            page = (
                sa.select(orders.c.doc)
                .where(*where)
                .order_by(orders.c.placed_position.desc())
                .offset(offset)
                .limit(limit)
            )
            return total, [loads(doc) for doc in conn.execute(page).scalars()]

    def timeline(self, order_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            _, timeline = order_tables(self._live(conn) or 0)
            query = (
                sa.select(timeline.c.entry)
                .where(timeline.c.order_id == order_id)
                .order_by(timeline.c.position)
            )
            return [loads(entry) for entry in conn.execute(query).scalars()]
