"""The order views' SQL tables, one set per generation.

A table added here is missing from older generations, so `SqlView.ensure()` starts a
new generation for them and the runner fills it from the log (read models are rebuilt,
never altered in place).
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import sqlalchemy as sa


class OrderTables(NamedTuple):
    orders: sa.Table
    timeline: sa.Table
    shipments: sa.Table
    returns: sa.Table


@cache
def order_tables(generation: int) -> OrderTables:
    meta, g = sa.MetaData(), generation
    orders = sa.Table(
        f"rm_orders_g{g}",
        meta,
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("customer_id", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("placed_position", sa.BigInteger, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Index(f"ix_rm_orders_g{g}_customer", "customer_id", "placed_position"),
    )
    timeline = sa.Table(
        f"rm_order_timeline_g{g}",
        meta,
        sa.Column("order_id", sa.String(64), primary_key=True),
        sa.Column("position", sa.BigInteger, primary_key=True),
        sa.Column("entry", sa.Text, nullable=False),
    )
    shipments = sa.Table(
        f"rm_shipments_g{g}",
        meta,
        sa.Column("shipment_id", sa.String(64), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_position", sa.BigInteger, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Index(f"ix_rm_shipments_g{g}_status", "status", "opened_position"),
        sa.Index(f"ix_rm_shipments_g{g}_opened", "opened_position"),
    )
    returns = sa.Table(
        f"rm_returns_g{g}",
        meta,
        sa.Column("return_id", sa.String(64), primary_key=True),
        sa.Column("order_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("requested_position", sa.BigInteger, nullable=False),
        sa.Column("doc", sa.Text, nullable=False),
        sa.Index(f"ix_rm_returns_g{g}_order", "order_id", "requested_position"),
        sa.Index(f"ix_rm_returns_g{g}_status", "status"),
    )
    return OrderTables(orders, timeline, shipments, returns)
