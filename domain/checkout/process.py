"""The checkout saga's decisions: what to do next, from a Checkout's state alone.

`decide` records nothing, reads no clock and does no I/O; `facts.observe` has already
folded the latest event into the Checkout. So a restarted process manager that reloads a
Checkout decides exactly what the crashed one would have. The happy path and the
compensation are separate functions: one moves the order forward, the other undoes.
"""

from __future__ import annotations

from domain.checkout.aggregate import Checkout
from domain.checkout.commands import CollectPayment
from domain.checkout.values import CouponState, LineState, Outcome, PaymentState
from domain.coupon import RedeemCoupon, RevertRedemption
from domain.inventory import CommitReservation, ReleaseReservation, ReserveStock, ReturnStock
from domain.order import CancelOrder, ConfirmOrder
from domain.payment import RefundPayment, RequestPayment, TimeOutPayment

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


def decide(checkout: Checkout) -> list[SagaCommand]:
    """The commands that follow from where this checkout is now."""
    if checkout.compensation is not None:
        return compensation(checkout)
    if checkout.outcome is None:
        return happy_path(checkout)
    return []


# Happy path


def happy_path(checkout: Checkout) -> list[SagaCommand]:
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
        return [TimeOutPayment(order_id)] if checkout.deadline_passed else []
    if checkout.payment == P.CAPTURED:
        return [*commits, ConfirmOrder(order_id)]  # confirmed last: it ends the saga
    return []


# Compensation


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
