"""The checkout saga's decisions: pure functions of (Checkout, event) -> commands.

No I/O and no clock: `observe` records what an upstream event means for the saga, and the
next commands follow from the Checkout's state alone, so a restarted process manager that
reloads a Checkout decides exactly what the crashed one would have.
"""

from __future__ import annotations

from typing import Any

from domain.checkout.aggregate import Checkout
from domain.checkout.commands import CollectPayment
from domain.checkout.values import CouponState, DeadlinePassed, LineState, Outcome, PaymentState
from domain.coupon import Coupon, RedeemCoupon, RevertRedemption
from domain.inventory import (
    CommitReservation,
    InventoryItem,
    ReleaseReservation,
    ReserveStock,
    ReturnStock,
)
from domain.order import CancelOrder, CancelReason, ConfirmOrder, Order
from domain.payment import Payment, RefundPayment, RequestPayment, TimeOutPayment

# What the saga may decide to do: each an aggregate's own command, but `CollectPayment`.
SagaCommand = (
    ReserveStock
    | ReleaseReservation
    | CommitReservation
    | ReturnStock
    | RedeemCoupon
    | RevertRedemption
    | RequestPayment
    | CollectPayment
    | TimeOutPayment
    | RefundPayment
    | ConfirmOrder
    | CancelOrder
)

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


def next_commands(checkout: Checkout, event: object) -> list[SagaCommand]:
    """Record what `event` means for this checkout, then say what to do next."""
    observe(checkout, event)
    if checkout.compensation is not None:
        return compensation(checkout)
    if checkout.outcome is None:
        return happy_path(checkout, deadline_passed=isinstance(event, DeadlinePassed))
    return []


def observe(checkout: Checkout, event: object) -> None:
    """Record `event` as a fact of this saga; events of other orders change nothing."""
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


def happy_path(checkout: Checkout, deadline_passed: bool = False) -> list[SagaCommand]:
    """Reserve every line, redeem the coupon, request and collect payment, confirm."""
    order_id = checkout.order_id
    undecided = [(sku, qty) for sku, qty in checkout.lines if sku not in checkout.line_states]
    if undecided:
        return [ReserveStock(sku, order_id, qty) for sku, qty in undecided]
    if checkout.coupon_code and checkout.coupon is None:
        return [
            RedeemCoupon(checkout.coupon_code, order_id, checkout.customer_id, checkout.subtotal)
        ]
    commits = [CommitReservation(sku, order_id) for sku, _ in checkout.lines]
    if checkout.total == 0:  # fully discounted: nothing to charge, so no payment at all
        return [*commits, ConfirmOrder(order_id)]
    payment = (order_id, checkout.total, checkout.currency, checkout.payment_token)
    if checkout.payment is None:
        return [RequestPayment(*payment)]
    if checkout.payment == P.REQUESTED:
        return [CollectPayment(*payment)]
    if checkout.payment == P.SENT:
        return [TimeOutPayment(order_id)] if deadline_passed else []
    if checkout.payment == P.CAPTURED:
        return [*commits, ConfirmOrder(order_id)]  # confirmed last: it ends the saga
    return []


def compensation(checkout: Checkout) -> list[SagaCommand]:
    """Undo what was done, newest first, then cancel the order.

    Before the order is cancelled, a step whose outcome is unknown is undone too (undoing
    is a no-op where nothing was done). After it, only facts that arrive late are undone:
    a capture after the timeout is refunded, a reservation is released.
    """
    order_id, reason = checkout.order_id, str(checkout.compensation)
    open_ = checkout.outcome != Outcome.CANCELLED
    undo: list[SagaCommand] = []
    if checkout.payment == P.CAPTURED:
        undo.append(RefundPayment(order_id, reason))
    elif checkout.payment in (P.REQUESTED, P.SENT):
        undo.append(TimeOutPayment(order_id))  # a capture after this is refunded
    if checkout.coupon_code and (checkout.coupon == C.REDEEMED or (open_ and not checkout.coupon)):
        undo.append(RevertRedemption(checkout.coupon_code, order_id))
    for sku, _ in checkout.lines:
        state = checkout.line_states.get(sku)
        if state == L.RESERVED or (open_ and state is None):
            undo.append(ReleaseReservation(sku, order_id))
        elif state == L.COMMITTED:
            undo.append(ReturnStock(sku, order_id))
    return [*undo, CancelOrder(order_id, reason)] if open_ else undo


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
