"""Bodies and answers of customer accounts: sign-up, profile, the admin's list."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody
from api.schemas.fields import Text200
from api.schemas.shipping import ShippingAddressBody

Email = Annotated[
    str,
    StringConstraints(min_length=3, max_length=254, pattern=r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"),
    Field(examples=["ann@example.com"]),
]
Password = Annotated[
    str,
    StringConstraints(min_length=10, max_length=1024),
    Field(description="At least 10 characters."),
]


class SignUpBody(StrictBody):
    email: Email
    password: Password
    name: Text200


class ProfileBody(StrictBody):
    """Partial: a field left out (or null) stays as it is; `addresses` replaces the list."""

    name: Text200 | None = None
    addresses: Annotated[list[ShippingAddressBody], Field(max_length=20)] | None = None


class CustomerCreated(BaseModel):
    customer_id: str
    position: int = Field(description="Pass as `?min_position=` to read your own write.")


class CustomerWritten(BaseModel):
    customer_id: str
    position: int = Field(description="Pass as `?min_position=` to read your own write.")


class Address(ShippingAddressBody):
    address_id: str


class CustomerItem(BaseModel):
    """Email and name are null once the customer was erased (their key is gone)."""

    customer_id: str
    email: str | None
    name: str | None
    status: str = Field(description="`ACTIVE` or `ERASED`.")
    registered_at: str


class CustomerProfile(CustomerItem):
    addresses: list[Address]


class CustomerPage(BaseModel):
    total: int
    items: list[CustomerItem]
