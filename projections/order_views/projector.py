"""`OrderViewsProjector`: orders, their payment status and their timeline, from every stream."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from eventsourcing.utils import get_topic

from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import Order, OrderStatus
from domain.payment import Payment, PaymentStatus
from eventstore.log import Logged
from projections.core import Docs, Key
from projections.events import category, iso, payload, stream_key

ORDER_STREAMS = ("order", "payment", "checkout")  # streams named after the order's uuid
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
    Payment.Refunded: PaymentStatus.REFUNDED,
}


def order_of(logged: Logged) -> str | None:
    """The uuid of the order an event is about, or None when it is about none."""
    if category(logged) in ORDER_STREAMS:
        return stream_key(logged)
    if isinstance(logged.event, FOREIGN):
        return str(logged.event.order_id)
    return None


class OrderViewsProjector:
    """Keeps two things per order: the `order` document (detail and history row, one per
    order uuid) and `timeline` rows (one per event about the order, in log order).

    Reads every topic: the checkout saga's own events join the timeline by stream name,
    whatever its event classes are called.
    """

    name = "order_views"
    topics: Sequence[str] = ()

    def keys(self, logged: Logged) -> Iterable[Key]:
        order_id = order_of(logged)
        return [("order", order_id)] if order_id and category(logged) != "checkout" else []

    def apply(self, logged: Logged, docs: Docs) -> None:
        order_id = order_of(logged)
        if order_id is None:
            return
        self._timeline(order_id, logged, docs)
        event = logged.event
        if isinstance(event, Order.Placed):
            self._placed(order_id, event, docs)
        elif type(event) in STATUS or isinstance(event, Order.CancellationRequested):
            self._changed(order_id, logged, docs, status=STATUS.get(type(event)))
        elif type(event) in PAYMENT_STATUS:
            self._changed(order_id, logged, docs, payment_status=PAYMENT_STATUS[type(event)])

    def _placed(self, order_id: str, event: Order.Placed, docs: Docs) -> None:
        doc = {name: getattr(event, name) for name in ORDER_FIELDS}
        at = iso(event.timestamp)
        doc |= {"status": OrderStatus.PENDING, "payment_status": None, "cancel_reason": None}
        doc |= {"cancellation_requested_by": None, "created_at": at, "updated_at": at}
        doc |= {"placed_position": docs.position, "lines": [dict(line) for line in event.lines]}
        docs.put("order", order_id, doc)

    def _changed(self, order_id: str, logged: Logged, docs: Docs, **fields: object) -> None:
        if docs.get("order", order_id) is None:
            return  # an order never placed: only its timeline shows the event
        event = logged.event
        changes = {name: value for name, value in fields.items() if value is not None}
        if isinstance(event, Order.Cancelled):
            changes["cancel_reason"] = event.reason
        if isinstance(event, Order.CancellationRequested):
            changes["cancellation_requested_by"] = event.requested_by
        docs.update("order", order_id, updated_at=iso(event.timestamp), **changes)

    def _timeline(self, order_id: str, logged: Logged, docs: Docs) -> None:
        event = logged.event
        docs.append(
            "timeline",
            {
                "order_id": order_id,
                "position": logged.position,
                "stream": event.originator_id,
                "version": event.originator_version,
                "type": get_topic(type(event)),
                "at": iso(event.timestamp),
                "data": payload(logged),
                "metadata": logged.metadata,
            },
        )
