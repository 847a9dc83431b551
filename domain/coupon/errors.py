"""Refusals of the Coupon aggregate and of coupon use at checkout."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class CouponAlreadyDefined(DomainError):
    code = "coupon_already_defined"


class UnknownCoupon(NotFound):
    code = "unknown_coupon"


class CouponNotApplicable(DomainError):
    """The coupon cannot be used for this order; `reason` says why (e.g. "expired")."""

    code = "coupon_not_applicable"

    def __init__(self, coupon_code: str, reason: str) -> None:
        super().__init__(f"coupon {coupon_code} cannot be used: {reason}")
        self.reason = reason
