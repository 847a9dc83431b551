"""The fulfilment manager's decisions: what to do next, from a Fulfilment's state alone.

`decide` records nothing, reads no clock and does no I/O, so a restarted manager that
reloads a Fulfilment decides what the crashed one would have. The happy path (ship,
hand over, restock, refund or exchange a return) and the compensation (void the label
of a cancelled order, refund a lost parcel) are separate functions.
"""

from __future__ import annotations

from typing import Any

from domain.fulfilment.aggregate import Fulfilment
from domain.fulfilment.steps import (
    AskLabel,
    Exchange,
    HandOver,
    OpenParcel,
    Refund,
    Restock,
    Step,
    VoidLabel,
)

DISPATCHED = frozenset({"SHIPPED", "IN_TRANSIT", "DELIVERED", "LOST"})
LOST_REASON, RETURN_REASON = "PARCEL_LOST", "RETURN"


def decide(fulfilment: Fulfilment) -> list[Step]:
    """The steps that follow from where this order's fulfilment is now, not done yet."""
    steps = [*compensation(fulfilment), *happy_path(fulfilment)]
    return [step for step in steps if step.key not in fulfilment.done]


def reference(shipment_id: str, attempt: int) -> str:
    """What the carrier knows a label request by: a refused label is its final answer for
    that reference, so the request after an address fix needs a new one."""
    return shipment_id if attempt <= 1 else f"{shipment_id}.{attempt}"


# Happy path


def happy_path(fulfilment: Fulfilment) -> list[Step]:
    steps: list[Step] = []
    order_id = fulfilment.order_id
    if not fulfilment.cancelled and order_id not in fulfilment.shipments:
        steps.append(OpenParcel(order_id, fulfilment.lines))
    for shipment_id, (status, attempt) in fulfilment.shipments.items():
        ref = reference(shipment_id, attempt)
        if status == "READY":
            steps.append(AskLabel(shipment_id, ref))
        elif status in DISPATCHED:
            steps.append(HandOver(shipment_id, ref))
    for return_id, ret in fulfilment.returns.items():
        steps.extend(_settle_return(fulfilment, return_id, ret))
    return steps


def _settle_return(fulfilment: Fulfilment, return_id: str, ret: dict[str, Any]) -> list[Step]:
    """A received return: an exchange reserves new units first (the ones that came back
    are not counted on: out of stock means refunded instead); then the returned units go
    back to stock; then the refund, unless the exchange ships."""
    if ret["status"] not in ("RECEIVED", "EXCHANGED"):
        return []
    lines = ret["lines"]
    exchanged = fulfilment.done.get(f"exchange:{return_id}")
    if ret["kind"] == "exchange" and exchanged is None:
        return [Exchange(return_id, lines)]
    restock = Restock(return_id, lines)
    if restock.key not in fulfilment.done:
        return [restock]
    if exchanged == "reserved":
        return [] if return_id in fulfilment.shipments else [OpenParcel(return_id, lines)]
    return [Refund(return_id, ret["refund_amount"], RETURN_REASON, return_id)]


# Compensation


def compensation(fulfilment: Fulfilment) -> list[Step]:
    """Void every label asked for a voided shipment; refund a lost parcel's worth."""
    steps: list[Step] = []
    for shipment_id, (status, attempt) in fulfilment.shipments.items():
        if status == "VOIDED":
            for n in range(1, attempt + 1):
                ref = reference(shipment_id, n)
                if f"label:{ref}" in fulfilment.asked:
                    steps.append(VoidLabel(shipment_id, ref))
        elif status == "LOST":
            ret = fulfilment.returns.get(shipment_id)  # an exchange's parcel: its share
            amount = fulfilment.total if ret is None else ret["refund_amount"]
            steps.append(Refund(f"lost:{shipment_id}", amount, LOST_REASON, None))
    return steps
