"""Constrained field types shared by the request models (mirroring the domain's checks)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field, StringConstraints

SKU_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"
ORDER_ID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
NOT_BLANK = r"\S"
MAX_PRICE = 10**12
MAX_STOCK = 1_000_000


def _integral(value: Any) -> Any:
    # JSON Schema counts 12900.0 as an integer, so accept it as exactly 12900; 12.5, "12"
    # and true still fail the strict int check that follows.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# After the bounds in an `Annotated[int, Field(...), Integral]`: the bounds must come first
# to stay `minimum`/`maximum` in the JSON schema.
Integral = BeforeValidator(_integral)
Sku = Annotated[str, StringConstraints(pattern=SKU_PATTERN), Field(examples=["MUG-1"])]
CouponCode = Annotated[str, StringConstraints(pattern=CODE_PATTERN), Field(examples=["SPRING10"])]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), Field(examples=["KRW"])]
Text200 = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NOT_BLANK)]
Text100 = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NOT_BLANK)]
Description = Annotated[str, StringConstraints(max_length=5000)]
Price = Annotated[int, Field(ge=1, le=MAX_PRICE, description="Minor units (no floats)."), Integral]
Amount = Annotated[int, Field(ge=0, le=MAX_PRICE, description="Minor units (no floats)."), Integral]
AttrKey = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NOT_BLANK)]
AttrValue = Annotated[str, StringConstraints(max_length=200)]
Attributes = Annotated[dict[AttrKey, AttrValue], Field(max_length=50)]
AddressKey = Annotated[str, StringConstraints(min_length=1, max_length=50, pattern=NOT_BLANK)]
AddressValue = Annotated[str, StringConstraints(max_length=500)]
Address = Annotated[dict[AddressKey, AddressValue], Field(max_length=20)]


def _iso_text(value: Any) -> Any:
    # Lax parsing would also take a number as Unix seconds; the schema says a string.
    if isinstance(value, str | datetime):
        return value
    raise ValueError("must be an ISO 8601 date-time string with a UTC offset")


# JSON has no datetime type: accept ISO 8601 strings (only) even in strict models.
Timestamp = Annotated[AwareDatetime, Field(strict=False), BeforeValidator(_iso_text)]
