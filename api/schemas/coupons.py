"""Bodies of the coupon commands."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from api.schemas.common import StrictBody
from api.schemas.fields import MAX_PRICE, Amount, CouponCode, Currency, Integral, Timestamp

Limit = Annotated[int, Field(ge=1, le=10**9), Integral]


class DefineCouponBody(StrictBody):
    """`value` is a percentage (1..100) for `percent`, minor units for `fixed`."""

    code: CouponCode
    kind: Literal["percent", "fixed"]
    value: Annotated[int, Field(ge=1, le=MAX_PRICE), Integral]
    currency: Currency | None = Field(None, description="For `fixed`: the discount's currency.")
    min_order_total: Amount = 0
    max_redemptions: Limit | None = None
    per_customer_limit: Limit | None = None
    valid_from: Timestamp | None = None
    valid_until: Timestamp | None = None
