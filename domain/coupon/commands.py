"""What can be asked of a coupon: define it, redeem it for an order, revert that, disable it.

Frozen dataclasses in the domain's words, so the checkout saga's decisions can return
them; `commands/coupon.py` carries them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DefineCoupon:
    code: str
    kind: str
    value: int
    currency: str = ""
    min_order_total: int = 0
    max_redemptions: int | None = None
    per_customer_limit: int | None = None
    valid_from: datetime | None = None
    valid_until: datetime | None = None


@dataclass(frozen=True)
class RedeemCoupon:
    """`order_total` is the order's subtotal (before the discount), as `min_order_total` is."""

    code: str
    order_id: str
    customer_id: str
    order_total: int


@dataclass(frozen=True)
class RevertRedemption:
    code: str
    order_id: str


@dataclass(frozen=True)
class DisableCoupon:
    code: str
    expected_version: int | None = None  # the caller's If-Match
