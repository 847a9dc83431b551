"""The fulfilment manager's fold: what the order, its shipments and its returns now are.

The manager notes the current state of the aggregate an event is about, not the event's
own payload: a fact delivered twice, or an old one replayed after a crash, then notes
nothing new, and a status can never move backwards in the Fulfilment.
"""

from __future__ import annotations

from typing import Any

from domain.fulfilment.aggregate import Fulfilment
from domain.order import Order
from domain.returns import Return
from domain.shipment import Shipment


def begin(order: Order) -> Fulfilment:
    """The fulfilment of a confirmed order (noting a cancellation asked already)."""
    lines = [{"sku": line["sku"], "quantity": line["quantity"]} for line in order.lines]
    fulfilment = Fulfilment(
        order_id=order.order_id,
        customer_id=order.customer_id,
        lines=lines,
        total=order.total,
        currency=order.currency,
        address=None if order.shipping_address is None else dict(order.shipping_address),
    )
    if order.cancellation_requested_by is not None:
        fulfilment.note_cancellation()
    return fulfilment


def note(fulfilment: Fulfilment, subject: Any) -> None:
    """Record what `subject` (a Shipment, a Return, the Order) is now, if it changed."""
    if isinstance(subject, Shipment):
        key = subject.return_id or subject.order_id
        fulfilment.note_shipment(key, str(subject.status), subject.attempt)
    elif isinstance(subject, Return):
        lines = [{"sku": s, "quantity": q} for s, q in subject.quantities.items()]
        fulfilment.note_return(
            subject.return_id, subject.kind, str(subject.status), lines, subject.refund_amount
        )
    elif isinstance(subject, Order) and subject.cancellation_requested_by is not None:
        fulfilment.note_cancellation()
