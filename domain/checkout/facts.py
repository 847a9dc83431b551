"""The checkout saga's fold: what each upstream event means for one checkout.

`observe` is the only place that records on the Checkout, and records facts only (a line
reserved, a payment declined, compensation decided with its reason). What to do about
them is `process.decide`'s question, answered from the Checkout's state alone.
"""

from __future__ import annotations

from typing import Any

from domain.checkout.aggregate import Checkout
from domain.checkout.values import CouponState, DeadlinePassed, LineState, PaymentState
from domain.coupon import Coupon
from domain.inventory import InventoryItem
from domain.order import CancelReason, Order
from domain.payment import Payment

L, C, P = LineState, CouponState, PaymentState
LINE_FACTS: dict[type, LineState] = {
    InventoryItem.StockReserved: L.RESERVED,
    InventoryItem.ReservationRejected: L.REJECTED,
    InventoryItem.ReservationReleased: L.RELEASED,
    InventoryItem.ReservationCommitted: L.COMMITTED,
    InventoryItem.StockReturned: L.RETURNED,
}
COUPON_FACTS: dict[type, CouponState] = {
    Coupon.Redeemed: C.REDEEMED,
    Coupon.RedemptionRejected: C.REJECTED,
    Coupon.RedemptionReverted: C.REVERTED,
}
PAYMENT_FACTS: dict[type, PaymentState] = {
    Payment.Requested: P.REQUESTED,
    Payment.Captured: P.CAPTURED,
    Payment.Declined: P.DECLINED,
    Payment.TimedOut: P.TIMED_OUT,
    Payment.Refunded: P.REFUNDED,
}
# The failures that turn the saga around, and the reason the order is cancelled with.
COMPENSATE_ON: dict[type, CancelReason] = {
    InventoryItem.ReservationRejected: CancelReason.OUT_OF_STOCK,
    Coupon.RedemptionRejected: CancelReason.COUPON_REJECTED,
    Payment.Declined: CancelReason.PAYMENT_DECLINED,
    Payment.TimedOut: CancelReason.PAYMENT_TIMEOUT,
    Order.CancellationRequested: CancelReason.CUSTOMER_REQUEST,
}


def begin(placed: Order.Placed) -> Checkout:
    """The saga of a freshly placed order."""
    lines = [{"sku": line["sku"], "quantity": line["quantity"]} for line in placed.lines]
    return Checkout(
        order_id=placed.order_id,
        customer_id=placed.customer_id,
        lines=lines,
        subtotal=placed.subtotal,
        total=placed.total,
        currency=placed.currency,
        coupon_code=placed.coupon_code,
        payment_token=placed.payment_token,
    )


def observe(checkout: Checkout, event: object) -> None:
    """Record `event` as a fact of this saga; events of other orders change nothing."""
    checkout.notice_deadline(isinstance(event, DeadlinePassed))
    if not concerns(checkout, event):
        return
    kind = type(event)
    if kind in LINE_FACTS:
        checkout.record_line(stream_key(event), LINE_FACTS[kind])
    elif kind in COUPON_FACTS:
        checkout.record_coupon(COUPON_FACTS[kind], getattr(event, "reason", None))
    elif kind in PAYMENT_FACTS:
        checkout.record_payment(PAYMENT_FACTS[kind], _payment_detail(event))
    elif isinstance(event, Order.CancellationRequested):
        checkout.record_cancellation_request(event.requested_by)
    elif isinstance(event, Order.Confirmed):
        checkout.record_confirmed()
    elif isinstance(event, Order.Cancelled):
        checkout.record_cancelled(event.reason)
    if kind in COMPENSATE_ON:
        checkout.decide_compensation(str(COMPENSATE_ON[kind]))


def concerns(checkout: Checkout, event: object) -> bool:
    """Whether `event` is about this checkout's order (and its skus and coupon)."""
    if isinstance(event, DeadlinePassed):
        return event.order_id == checkout.order_id
    if isinstance(event, (InventoryItem.Event, Coupon.Event)):
        if getattr(event, "order_id", None) != checkout.order_id:
            return False
        key = stream_key(event)
        return (
            key == checkout.coupon_code
            if isinstance(event, Coupon.Event)
            else (key in dict(checkout.lines))
        )
    return order_of(event) == checkout.order_id


def order_of(event: Any) -> str | None:
    """The order uuid an upstream event is about, or None if it is about no order."""
    if isinstance(event, DeadlinePassed):
        return event.order_id
    if isinstance(event, (InventoryItem.Event, Coupon.Event)):
        return getattr(event, "order_id", None)
    if isinstance(event, (Order.Event, Payment.Event)):
        return stream_key(event)
    return None


def stream_key(event: Any) -> str:
    """`inventory-SKU-1` -> `SKU-1`: the business key after the stream's category."""
    return str(event.originator_id).split("-", 1)[1]


def _payment_detail(event: object) -> str | None:
    if isinstance(event, Payment.Captured):
        return f"{event.gateway_reference}{' (late)' if event.late else ''}"
    return getattr(event, "reason", None)
