"""Order views in SQL (SQLite by default, PostgreSQL in production), a table set per generation."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.core import Doc, Docs, Key
from projections.order_views import sqlreads
from projections.order_views.tables import order_tables
from projections.order_views.view import OrderViews
from projections.sqlbase import SqlView
from projections.sqlstore import dumps, insert_rows, loads, replace_rows, select_in


def _document_tables(generation: int) -> dict[str, tuple[sa.Table, str]]:
    """Per document kind: its table and the key column."""
    t = order_tables(generation)
    return {
        "order": (t.orders, "order_id"),
        "shipment": (t.shipments, "shipment_id"),
        "return": (t.returns, "return_id"),
    }


def _row(kind: str, doc: Doc) -> tuple[Any, ...]:
    """The document's row, in its table's column order (key, order or customer, status,
    position, doc)."""
    if kind == "order":
        head = (doc["order_id"], doc["customer_id"], doc["status"], doc["placed_position"])
    elif kind == "shipment":
        head = (doc["shipment_id"], doc["order_id"], doc["status"], doc["opened_position"])
    else:
        head = (doc["return_id"], doc["order_id"], doc["status"], doc["requested_position"])
    return (*head, dumps(doc))


class SqlOrderViews(SqlView, OrderViews):
    """`rm_orders_g<N>`: one row per order, its detail as JSON plus the columns history
    filters on; `rm_order_timeline_g<N>`: one row per (order, log position);
    `rm_shipments_g<N>` and `rm_returns_g<N>`: one row per shipment and per return, the
    document as JSON beside its order, status and position (the admin lists' filters)."""

    def __init__(self, engine: Engine) -> None:
        SqlView.__init__(self, engine)
        OrderViews.__init__(self)

    def tables(self, generation: int) -> list[sa.Table]:
        return list(order_tables(generation))

    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]:
        found: dict[Key, Doc] = {}
        for kind, (table, column) in _document_tables(generation).items():
            ids = [key for k, key in keys if k == kind]
            for key, doc in select_in(conn, table, [column, "doc"], [column], (), ids):
                found[(kind, key)] = loads(doc)
        return found

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        changed = docs.changed_docs()
        for kind, (table, column) in _document_tables(generation).items():
            rows = [_row(kind, doc) for (k, _), doc in changed.items() if k == kind]
            replace_rows(conn, table, [column], rows)
        entries = [_entry(row) for kind, row in docs.appended if kind == "timeline"]
        insert_rows(conn, order_tables(generation).timeline, entries)

    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for kind, (table, column) in _document_tables(generation).items():
            for key, doc in conn.execute(sa.select(table.c[column], table.c.doc)):
                found[f"{kind}:{key}"] = doc  # as stored: dumps() is canonical
        timeline = order_tables(generation).timeline
        query = sa.select(timeline.c.order_id, timeline.c.position, timeline.c.entry)
        for oid, position, entry in conn.execute(query):
            found[f"timeline:{oid}:{position}"] = entry
        return found

    # -- reads -----------------------------------------------------------------------
    def get_order(self, order_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn, conn.begin():
            tables = order_tables(self._live(conn) or 0)
            query = sa.select(tables.orders.c.doc).where(tables.orders.c.order_id == order_id)
            doc = conn.execute(query).scalar()
            if doc is None:
                return None
            return sqlreads.with_fulfilment(conn, tables, [loads(doc)])[0]

    def customer_orders(
        self, customer_id: str, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        with self.engine.connect() as conn, conn.begin():
            tables = order_tables(self._live(conn) or 0)
            orders = tables.orders
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
            docs = [loads(doc) for doc in conn.execute(page).scalars()]
            return total, sqlreads.with_fulfilment(conn, tables, docs)

    def timeline(self, order_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            timeline = order_tables(self._live(conn) or 0).timeline
            query = (
                sa.select(timeline.c.entry)
                .where(timeline.c.order_id == order_id)
                .order_by(timeline.c.position)
            )
            return [loads(entry) for entry in conn.execute(query).scalars()]

    def shipments(
        self, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        with self.engine.connect() as conn, conn.begin():
            tables = order_tables(self._live(conn) or 0)
            return sqlreads.shipment_page(conn, tables.shipments, status, offset, limit)

    def get_return(self, return_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            returns = order_tables(self._live(conn) or 0).returns
            query = sa.select(returns.c.doc).where(returns.c.return_id == return_id)
            doc = conn.execute(query).scalar()
        return None if doc is None else loads(doc)

    def backlog(self) -> dict[str, int]:
        with self.engine.connect() as conn, conn.begin():
            return sqlreads.backlog(conn, order_tables(self._live(conn) or 0))


def _entry(row: Doc) -> tuple[str, int, str]:
    return row["order_id"], row["position"], dumps(row)
