"""Return handlers: a customer's request (checked against the delivered shipment), the
admin's decisions, and what the fulfilment manager records when it settles one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from commands.handling import accept, load, unchanged
from commands.ports import Clock, EventStore
from commands.results import Accepted
from domain.order import Order, UnknownOrder
from domain.returns import (
    ApproveReturn,
    MarkReturnExchanged,
    MarkReturnRefunded,
    ReceiveReturn,
    RejectReturn,
    RequestReturn,
    Return,
    ReturnNotAllowed,
    UnknownReturn,
    refund_share,
)
from domain.shared import ids
from domain.shared.base import IdempotencyKeyReused, InvalidInput
from domain.shared.checks import check_int
from domain.shipment import Shipment


def request_return(
    cmd: RequestReturn, store: EventStore, clock: Clock, window_days: int
) -> Accepted:
    """Open a return of delivered units, within the window; the shipment holds the units
    for it in the same append, so two returns can never take the same unit."""
    order: Order = load(store, ids.order_stream(cmd.order_id), UnknownOrder)
    if cmd.owner is not None and order.customer_id != cmd.owner:
        raise UnknownOrder(f"order {cmd.order_id} does not exist")  # never reveal another's
    return_id = ids.new_return_uuid(order.order_id, cmd.idempotency_key)
    lines = _checked_lines(cmd.lines)
    existing: Return | None = store.find(ids.return_stream(return_id))
    if existing is not None:
        if (existing.kind, existing.quantities) != (cmd.kind, dict(lines)):
            raise IdempotencyKeyReused("this Idempotency-Key was already used for another return")
        return unchanged(existing.id, existing.version)
    shipment: Shipment | None = store.find(ids.shipment_stream(order.order_id))
    if shipment is None or shipment.delivered_at is None:
        raise ReturnNotAllowed(f"order {order.order_id} has not been delivered")
    _check_window(shipment.delivered_at, clock(), window_days)
    shipment.claim_return(return_id, lines)
    priced = _priced(order, lines)
    value = sum(line["unit_price"] * line["quantity"] for line in priced)
    amount = refund_share(value, order.subtotal, order.discount)
    ret = Return.request(
        return_id, order.order_id, order.customer_id, cmd.kind, priced, cmd.reason, amount
    )
    position = store.save(shipment, ret)
    return Accepted(ret.id, ret.version, position)


def approve_return(cmd: ApproveReturn, store: EventStore) -> Accepted:
    ret = _load(store, cmd.return_id)
    ret.approve()
    return accept(store, ret)


def reject_return(cmd: RejectReturn, store: EventStore) -> Accepted:
    """Reject, and give the units back to the shipment for another return."""
    ret = _load(store, cmd.return_id)
    ret.reject(cmd.reason)
    if not ret.pending_events:
        return unchanged(ret.id, ret.version)
    shipment: Shipment = store.get(ids.shipment_stream(ret.order_id))
    shipment.release_return(ret.return_id)
    position = store.save(shipment, ret)
    return Accepted(ret.id, ret.version, position)


def receive_return(cmd: ReceiveReturn, store: EventStore) -> Accepted:
    ret = _load(store, cmd.return_id)
    ret.receive()
    return accept(store, ret)


def mark_refunded(cmd: MarkReturnRefunded, store: EventStore) -> Accepted:
    ret = _load(store, cmd.return_id)
    ret.mark_refunded(cmd.amount)
    return accept(store, ret)


def mark_exchanged(cmd: MarkReturnExchanged, store: EventStore) -> Accepted:
    ret = _load(store, cmd.return_id)
    ret.mark_exchanged()
    return accept(store, ret)


def _checked_lines(lines: Any) -> list[tuple[str, int]]:
    if not isinstance(lines, (list, tuple)) or not 1 <= len(lines) <= 50:
        raise InvalidInput("a return has 1..50 lines")
    merged: dict[str, int] = {}
    for sku, quantity in lines:
        check_int(quantity, "quantity", low=1, high=1000)
        merged[ids.check_sku(sku)] = merged.get(sku, 0) + quantity
    return list(merged.items())


def _check_window(delivered_at: str, now: datetime, window_days: int) -> None:
    try:
        delivered = datetime.fromisoformat(delivered_at)
    except ValueError:
        delivered = now  # a carrier timestamp we cannot read: the window runs from now
    if delivered.tzinfo is None:
        delivered = delivered.replace(tzinfo=now.tzinfo)
    if now > delivered + timedelta(days=window_days):
        raise ReturnNotAllowed(f"the {window_days}-day return window closed")


def _priced(order: Order, lines: list[tuple[str, int]]) -> list[dict[str, Any]]:
    prices = {line["sku"]: line["unit_price"] for line in order.lines}
    for sku, _ in lines:
        if sku not in prices:
            raise ReturnNotAllowed(f"order {order.order_id} has no line for {sku}")
    return [{"sku": s, "quantity": q, "unit_price": prices[s]} for s, q in lines]


def _load(store: EventStore, return_id: str) -> Return:
    return load(store, ids.return_stream(return_id), UnknownReturn)  # type: ignore[no-any-return]
