"""The customers read model in SQL (the read database), a table per generation."""

from __future__ import annotations

from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from projections.core import Doc, Docs, Key
from projections.customers.view import Customers
from projections.sqlbase import SqlView
from projections.sqlstore import dumps, replace_rows, select_in

COLUMNS = ("customer_id", "status", "registered_at", "updated_at", "position")


def _doc(row: Any) -> Doc:
    """Plain str keys (SQLAlchemy's column names are a str subclass orjson refuses)."""
    return {column: getattr(row, column) for column in COLUMNS}


@cache
def customer_table(generation: int) -> sa.Table:
    return sa.Table(
        f"rm_customers_g{generation}",
        sa.MetaData(),
        sa.Column("customer_id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("registered_at", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("position", sa.BigInteger, nullable=False),
        sa.Index(f"ix_rm_customers_g{generation}_position", "position"),
    )


class SqlCustomers(SqlView, Customers):
    """`rm_customers_g<N>`: one row per account: id, status, dates, registration position."""

    def __init__(self, engine: Engine) -> None:
        SqlView.__init__(self, engine)
        Customers.__init__(self)

    def tables(self, generation: int) -> list[sa.Table]:
        return [customer_table(generation)]

    def load(self, conn: Connection, generation: int, keys: set[Key]) -> dict[Key, Doc]:
        ids = [key for _, key in keys]
        rows = select_in(conn, customer_table(generation), COLUMNS, ["customer_id"], (), ids)
        return {("customer", row[0]): dict(zip(COLUMNS, row, strict=True)) for row in rows}

    def save(self, conn: Connection, generation: int, docs: Docs) -> None:
        rows = [tuple(doc[c] for c in COLUMNS) for doc in docs.changed_docs().values()]
        replace_rows(conn, customer_table(generation), ["customer_id"], rows)

    def rows(self, conn: Connection, generation: int) -> dict[str, Any]:
        table = customer_table(generation)
        rows = conn.execute(sa.select(*table.c))
        return {f"customer:{row.customer_id}": dumps(_doc(row)) for row in rows}

    def customer(self, customer_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            table = customer_table(self._live(conn) or 0)
            query = sa.select(*table.c).where(table.c.customer_id == customer_id)
            row = conn.execute(query).first()
        return None if row is None else _doc(row)

    def page(self, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
        with self.engine.connect() as conn:
            table = customer_table(self._live(conn) or 0)
            total = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar() or 0
            query = sa.select(*table.c).order_by(table.c.position.desc())
            rows = conn.execute(query.offset(offset).limit(limit))
            return total, [_doc(row) for row in rows]
