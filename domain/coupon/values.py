"""Coupon kinds and the reasons a redemption is refused."""

from __future__ import annotations

from enum import StrEnum


class CouponKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"


class RejectionReason(StrEnum):
    DISABLED = "disabled"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    BELOW_MINIMUM = "below_minimum"
    LIMIT_REACHED = "limit_reached"
    CUSTOMER_LIMIT_REACHED = "customer_limit_reached"
    # Only at placement (a fixed discount in another currency); never recorded.
    CURRENCY_MISMATCH = "currency_mismatch"
