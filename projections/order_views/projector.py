"""`OrderViewsProjector`: orders, their payment, shipments, returns and timeline, from every
stream."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eventsourcing.utils import get_topic

from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import Order, OrderStatus
from domain.payment import Payment, PaymentStatus
from eventstore.log import Logged
from projections.core import Docs, Key
from projections.events import category, iso, payload
from projections.order_views.fulfilment import fold_return, fold_shipment

# Streams named after the order's uuid; the process managers' own only join the timeline.
ORDER_STREAMS = ("order", "payment", "checkout", "fulfilment")
TIMELINE_ONLY = ("checkout", "fulfilment")
FULFILMENT = {"shipment": fold_shipment, "return": fold_return}
ORDER_FIELDS = (
    "order_id",
    "customer_id",
    "lines",
    "currency",
    "subtotal",
    "discount",
    "total",
    "coupon_code",
)
# Events of other streams that name an order, so they belong to its timeline.
FOREIGN = (
    InventoryItem.StockReserved,
    InventoryItem.ReservationRejected,
    InventoryItem.ReservationReleased,
    InventoryItem.ReservationCommitted,
    InventoryItem.StockReturned,
    Coupon.Redeemed,
    Coupon.RedemptionRejected,
    Coupon.RedemptionReverted,
)
STATUS = {
    Order.Placed: OrderStatus.PENDING,
    Order.Confirmed: OrderStatus.CONFIRMED,
    Order.Cancelled: OrderStatus.CANCELLED,
}
PAYMENT_STATUS = {
    Payment.Requested: PaymentStatus.REQUESTED,
    Payment.Captured: PaymentStatus.CAPTURED,
    Payment.Declined: PaymentStatus.DECLINED,
    Payment.TimedOut: PaymentStatus.TIMED_OUT,
    Payment.PartiallyRefunded: PaymentStatus.PARTIALLY_REFUNDED,
    Payment.Refunded: PaymentStatus.REFUNDED,
}
REFUNDS = (Payment.PartiallyRefunded, Payment.Refunded)


def subject(logged: Logged) -> Key | None:
    """The document an event is about: its order, shipment or return; None for none.

    A shipment's stream is named after its order, or after the return it exchanges; a
    restock names its return: both reach their order through the document.
    """
    kind, _, key = str(logged.event.originator_id).partition("-")
    if kind in ORDER_STREAMS:
        return ("order", key)
    if kind in FULFILMENT:
        return (kind, key)
    if isinstance(logged.event, InventoryItem.ReturnRestocked):
        return ("return", str(logged.event.return_id))
    if isinstance(logged.event, FOREIGN):
        return ("order", str(logged.event.order_id))
    return None


class OrderViewsProjector:
    """Keeps per order the `order` document (detail and history row, one per order uuid)
    and `timeline` rows (one per event about the order, in log order, its shipments' and
    returns' included); beside them a `shipment` document per shipment stream and a
    `return` document per return.

    Reads every topic: the checkout saga's own events join the timeline by stream name,
    whatever its event classes are called.
    """

    name = "order_views"
    topics: Sequence[str] = ()

    def keys(self, logged: Logged) -> Iterable[Key]:
        key = subject(logged)
        return [key] if key and category(logged) not in TIMELINE_ONLY else []

    def apply(self, logged: Logged, docs: Docs) -> None:
        key = subject(logged)
        if key is None:
            return
        kind, key_id = key
        order_id = key_id if kind == "order" else FULFILMENT[kind](key_id, logged.event, docs)
        if order_id is None:
            return
        event = logged.event
        at = iso(event.timestamp)
        self._timeline(order_id, logged, docs, at)
        if kind != "order":
            return
        if isinstance(event, Order.Placed):
            self._placed(order_id, event, docs, at)
        elif type(event) in STATUS or isinstance(event, Order.CancellationRequested):
            self._changed(order_id, logged, docs, at, status=STATUS.get(type(event)))
        elif type(event) in PAYMENT_STATUS:
            status = PAYMENT_STATUS[type(event)]
            self._changed(order_id, logged, docs, at, payment_status=status)

    def _placed(self, order_id: str, event: Order.Placed, docs: Docs, at: str) -> None:
        doc = {name: getattr(event, name) for name in ORDER_FIELDS}
        doc |= {"status": OrderStatus.PENDING, "payment_status": None, "cancel_reason": None}
        doc |= {"refunded_total": 0}
        doc |= {"cancellation_requested_by": None, "created_at": at, "updated_at": at}
        doc |= {"placed_position": docs.position, "lines": [dict(line) for line in event.lines]}
        docs.put("order", order_id, doc)

    def _changed(
        self, order_id: str, logged: Logged, docs: Docs, at: str, **fields: object
    ) -> None:
        if docs.get("order", order_id) is None:
            return  # an order never placed: only its timeline shows the event
        event = logged.event
        changes = {name: value for name, value in fields.items() if value is not None}
        if isinstance(event, Order.Cancelled):
            changes["cancel_reason"] = event.reason
        if isinstance(event, Order.CancellationRequested):
            changes["cancellation_requested_by"] = event.requested_by
        if isinstance(event, REFUNDS):
            refunded = (docs.get("order", order_id) or {}).get("refunded_total") or 0
            changes["refunded_total"] = refunded + event.amount
        docs.update("order", order_id, updated_at=at, **changes)

    def _timeline(self, order_id: str, logged: Logged, docs: Docs, at: str) -> None:
        event = logged.event
        docs.append(
            "timeline",
            {
                "order_id": order_id,
                "position": logged.position,
                "stream": event.originator_id,
                "version": event.originator_version,
                "type": get_topic(type(event)),
                "at": at,
                "data": payload(logged),
                "metadata": logged.metadata,
            },
        )
