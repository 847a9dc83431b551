"""Reads of the order views' fulfilment tables, run inside the caller's transaction."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from domain.returns import ReturnStatus
from domain.shipment import ShipmentStatus
from projections.order_views.tables import OrderTables
from projections.sqlstore import loads


def with_fulfilment(
    conn: Connection, tables: OrderTables, orders: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The order documents with `fulfilment` (their own shipment's document, or None) and
    `returns` (their returns' documents, oldest first): two queries for the whole page."""
    ids = [doc["order_id"] for doc in orders]
    if not ids:
        return orders
    shipments, returns = tables.shipments, tables.returns
    own = sa.select(shipments.c.shipment_id, shipments.c.doc).where(
        shipments.c.shipment_id.in_(ids)
    )
    fulfilment = {sid: loads(doc) for sid, doc in conn.execute(own)}
    theirs = (
        sa.select(returns.c.order_id, returns.c.doc)
        .where(returns.c.order_id.in_(ids))
        .order_by(returns.c.requested_position)
    )
    by_order: dict[str, list[dict[str, Any]]] = {}
    for order_id, doc in conn.execute(theirs):
        by_order.setdefault(order_id, []).append(loads(doc))
    return [
        doc
        | {
            "fulfilment": fulfilment.get(doc["order_id"]),
            "returns": by_order.get(doc["order_id"], []),
        }
        for doc in orders
    ]


def shipment_page(
    conn: Connection, shipments: sa.Table, status: str | None, offset: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, one page of them, the most recently opened first)."""
    where = [shipments.c.status == status] if status else []
    total = conn.execute(sa.select(sa.func.count()).select_from(shipments).where(*where)).scalar()
    page = (
        sa.select(shipments.c.doc)
        .where(*where)
        .order_by(shipments.c.opened_position.desc())
        .offset(offset)
        .limit(limit)
    )
    return total or 0, [loads(doc) for doc in conn.execute(page).scalars()]


def backlog(conn: Connection, tables: OrderTables) -> dict[str, int]:
    """What waits for an admin: shipments on hold and returns awaiting approval."""
    shipments, returns = tables.shipments, tables.returns
    on_hold = sa.select(sa.func.count()).where(shipments.c.status == ShipmentStatus.ON_HOLD)
    waiting = sa.select(sa.func.count()).where(returns.c.status == ReturnStatus.REQUESTED)
    return {
        "shipments_on_hold": conn.execute(on_hold).scalar() or 0,
        "returns_awaiting_approval": conn.execute(waiting).scalar() or 0,
    }
