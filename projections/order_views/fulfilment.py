"""How shipment and return events change their documents in the order views.

Each function folds one event into its `shipment` or `return` document and answers the
uuid of the order the event belongs to (for the timeline), or None when its document was
never opened. Later events of both streams name no order: the document remembers it.
"""

from __future__ import annotations

from typing import Any

from domain.returns import Return, ReturnStatus
from domain.shipment import Shipment, ShipmentStatus
from projections.core import Docs
from projections.events import iso, plain

S = ShipmentStatus
SHIPMENT_STATUS = {
    Shipment.LabelCreated: S.LABELLED,
    Shipment.LabelRefused: S.ON_HOLD,
    Shipment.AddressCorrected: S.READY,
    Shipment.Dispatched: S.SHIPPED,
    Shipment.InTransit: S.IN_TRANSIT,
    Shipment.Delivered: S.DELIVERED,
    Shipment.Lost: S.LOST,
    Shipment.Voided: S.VOIDED,
}
R = ReturnStatus
RETURN_STATUS = {
    Return.Approved: R.APPROVED,
    Return.Rejected: R.REJECTED,
    Return.Received: R.RECEIVED,
    Return.Refunded: R.REFUNDED,
    Return.Exchanged: R.EXCHANGED,
}


def fold_shipment(shipment_id: str, event: Any, docs: Docs) -> str | None:
    at = iso(event.timestamp)
    if isinstance(event, Shipment.Opened):
        docs.put(
            "shipment",
            shipment_id,
            {
                "shipment_id": shipment_id,
                "order_id": event.order_id,
                "return_id": event.return_id,
                "customer_id": event.customer_id,
                "lines": plain(event.lines),
                "status": S.READY,
                "carrier": None,
                "tracking_number": None,
                "hold_reason": None,
                "shipped_at": None,
                "delivered_at": None,
                "opened_position": docs.position,
                "created_at": at,
                "updated_at": at,
            },
        )
        return str(event.order_id)
    doc = docs.get("shipment", shipment_id)
    if doc is None:
        return None
    docs.update("shipment", shipment_id, updated_at=at, **_shipment_changes(event, at))
    return str(doc["order_id"])


def _shipment_changes(event: Any, at: str) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if type(event) in SHIPMENT_STATUS:
        changes["status"] = SHIPMENT_STATUS[type(event)]
    if isinstance(event, Shipment.LabelCreated):
        changes |= {"carrier": event.carrier, "tracking_number": event.tracking_number}
    elif isinstance(event, Shipment.LabelRefused):
        changes["hold_reason"] = event.reason
    elif isinstance(event, Shipment.AddressCorrected):
        changes["hold_reason"] = None
    elif isinstance(event, Shipment.Dispatched):
        changes["shipped_at"] = at
    elif isinstance(event, Shipment.Delivered):
        changes["delivered_at"] = event.occurred_at  # the carrier's time, as the aggregate
    return changes


def fold_return(return_id: str, event: Any, docs: Docs) -> str | None:
    """`refund_amount` is the share fixed at the request until the refund is recorded,
    then what was refunded (never more than remained captured)."""
    at = iso(event.timestamp)
    if isinstance(event, Return.Requested):
        docs.put(
            "return",
            return_id,
            {
                "return_id": return_id,
                "order_id": event.order_id,
                "customer_id": event.customer_id,
                "kind": event.kind,
                "status": R.REQUESTED,
                "lines": plain(event.lines),
                "reason": event.reason,
                "reject_reason": None,
                "refund_amount": event.refund_amount,
                "requested_position": docs.position,
                "created_at": at,
                "updated_at": at,
            },
        )
        return str(event.order_id)
    doc = docs.get("return", return_id)
    if doc is None:
        return None
    if type(event) in RETURN_STATUS:  # other events (a restock) only join the timeline
        changes: dict[str, Any] = {"status": RETURN_STATUS[type(event)], "updated_at": at}
        if isinstance(event, Return.Rejected):
            changes["reject_reason"] = event.reason
        if isinstance(event, Return.Refunded):
            changes["refund_amount"] = event.amount
        docs.update("return", return_id, **changes)
    return str(doc["order_id"])
