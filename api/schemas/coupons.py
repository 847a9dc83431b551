"""Bodies of the coupon commands: one shape per kind, told apart by `kind`."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from api.schemas.common import StrictBody
from api.schemas.fields import MAX_PRICE, Amount, CouponCode, Currency, Integral, Timestamp

Limit = Annotated[int, Field(ge=1, le=10**9), Integral]


class CouponRules(StrictBody):
    code: CouponCode
    min_order_total: Amount = 0
    max_redemptions: Limit | None = None
    per_customer_limit: Limit | None = None
    valid_from: Timestamp | None = None
    valid_until: Timestamp | None = None


class PercentCouponBody(CouponRules):
    kind: Literal["percent"]
    value: Annotated[int, Field(ge=1, le=100, description="Percent off the subtotal."), Integral]


class FixedCouponBody(CouponRules):
    kind: Literal["fixed"]
    value: Annotated[int, Field(ge=1, le=MAX_PRICE, description="Minor units off."), Integral]
    currency: Currency | None = Field(None, description="Only orders in this currency.")


DefineCouponBody = Annotated[PercentCouponBody | FixedCouponBody, Field(discriminator="kind")]
