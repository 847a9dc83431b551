"""Which business facts are customer-facing moments, and what each message says.

One triggering event makes at most one message, and its id is derived from that event
alone (stream id and version), so every replay of the event names the same message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from domain.customer.aggregate import Customer, customer_stream
from domain.order import Order
from domain.payment import Payment
from domain.returns import Return
from domain.shared import ids
from domain.shipment import Shipment
from eventstore.application import ShopStore
from eventstore.versions import AggregateVersions

KINDS: dict[type, str] = {
    Order.Confirmed: "order_confirmed",
    Order.Cancelled: "order_cancelled",
    Shipment.Dispatched: "shipment_shipped",
    Shipment.Delivered: "shipment_delivered",
    Return.Approved: "return_approved",
    Return.Rejected: "return_rejected",
    Payment.Refunded: "refund_issued",
    Payment.PartiallyRefunded: "refund_issued",
}
ERASED = Customer.Erased.TOPIC
TOPICS = tuple(sorted([ERASED, *(cls.TOPIC for cls in KINDS)]))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Moment:
    """A message to send: its kind, the order it is about, and what only it knows."""

    notification_id: str
    kind: str
    order: Any  # the Order aggregate: customer, lines and totals
    recipient: str | None  # None: nowhere to send it (SKIPPED)
    details: dict[str, Any] = field(default_factory=dict)


def notification_id(event: Any) -> str:
    """Deterministic from the triggering event: the same on every replay or redelivery."""
    name = f"/notifications/{event.originator_id}/{event.originator_version}"
    return str(uuid5(NAMESPACE_URL, name))


def moment_of(versions: AggregateVersions, event: Any) -> Moment | None:
    """The message `event` calls for, or None (not a customer-facing moment). The aggregate
    the event belongs to is read as it was right after the event: a shipment's tracking
    number is the one it shipped with, whatever happens to it later."""
    kind = KINDS.get(type(event))
    if kind is None:
        return None
    store = versions.store
    subject = versions.at(event.originator_id, event.originator_version)
    order = store.get(ids.order_stream(subject.order_id))
    recipient = recipient_of(store, order)
    return Moment(notification_id(event), kind, order, recipient, _details(event, subject))


def recipient_of(store: ShopStore, order: Any) -> str | None:
    """The order's contact email, else its customer's account email, else None (also once
    the customer is erased: both read as None then)."""
    contact = (order.contact or {}).get("email")
    if contact:
        return str(contact)
    account = store.find(customer_stream(order.customer_id))
    return getattr(account, "email", None)


def _details(event: Any, subject: Any) -> dict[str, Any]:
    if isinstance(event, Order.Cancelled):
        return {"reason": event.reason}
    if isinstance(event, Shipment.Dispatched | Shipment.Delivered):
        return {"tracking_number": subject.tracking_number or "", "carrier": subject.carrier}
    if isinstance(event, Return.Approved | Return.Rejected):
        reason = getattr(event, "reason", "")
        return {"return_id": subject.return_id, "refund_amount": subject.refund_amount,
                "reason": reason}  # fmt: skip
    if isinstance(event, Payment.Refunded | Payment.PartiallyRefunded):
        return {"amount": event.amount, "reason": event.reason}
    return {}
