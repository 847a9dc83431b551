"""Which state each step of the Checkout may move to, from which.

A fact that arrives late (an older event delivered again) finds its step already past it
and records nothing: that is what makes redelivery and out-of-order delivery harmless.
"""

from __future__ import annotations

from domain.checkout.values import CouponState, LineState, PaymentState

L, C, P = LineState, CouponState, PaymentState
LINE_FROM: dict[LineState, set[LineState | None]] = {
    L.RESERVED: {None},
    L.REJECTED: {None},
    L.RELEASED: {None, L.RESERVED},
    L.COMMITTED: {None, L.RESERVED},
    L.RETURNED: {None, L.RESERVED, L.COMMITTED},
}
COUPON_FROM: dict[CouponState, set[CouponState | None]] = {
    C.REDEEMED: {None},
    C.REJECTED: {None},
    C.REVERTED: {None, C.REDEEMED},
}
PAYMENT_FROM: dict[PaymentState, set[PaymentState | None]] = {
    P.REQUESTED: {None},
    P.SENT: {P.REQUESTED},
    P.CAPTURED: {None, P.REQUESTED, P.SENT, P.TIMED_OUT},
    P.DECLINED: {None, P.REQUESTED, P.SENT},
    P.TIMED_OUT: {None, P.REQUESTED, P.SENT},
    P.REFUNDED: {None, P.REQUESTED, P.SENT, P.CAPTURED, P.TIMED_OUT},
}
