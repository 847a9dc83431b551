"""Bodies and answers of the order commands."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody
from api.schemas.fields import Address, CouponCode, Integral, Sku
from domain.order import OrderStatus

MAX_LINES = 50
MAX_QUANTITY = 1000


class LineBody(StrictBody):
    sku: Sku
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY), Integral]


class PaymentBody(StrictBody):
    token: Annotated[
        str,
        StringConstraints(min_length=1, max_length=200, pattern=r"\S"),
        Field(
            description="Card token; the simulated gateway knows tok_ok, tok_declined, "
            "tok_timeout, tok_flaky.",
            examples=["tok_ok"],
        ),
    ]


class ContactBody(StrictBody):
    email: Annotated[
        str,
        StringConstraints(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
        Field(description="Where the order's emails go.", examples=["kim@example.com"]),
    ]


class PlaceOrderBody(StrictBody):
    lines: Annotated[list[LineBody], Field(min_length=1, max_length=MAX_LINES)]
    coupon_code: CouponCode | None = None
    payment: PaymentBody
    shipping_address: Address | None = None
    contact: ContactBody | None = None


class OrderAccepted(BaseModel):
    """The order is recorded; the checkout runs in the background."""

    order_id: str
    status: Literal[OrderStatus.PENDING] = OrderStatus.PENDING
    position: int = Field(description="Pass as `?min_position=` to read the order back.")


class CancellationAccepted(BaseModel):
    order_id: str
    position: int
