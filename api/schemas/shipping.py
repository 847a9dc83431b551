"""Bodies and answers of the shipment commands (admin)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody
from api.schemas.fields import NOT_BLANK, Text100, Text200


class ShippingAddressBody(StrictBody):
    """Where a shipment goes; `country` is ISO 3166 alpha-2."""

    name: Text200
    line1: Text200
    line2: Text200 | None = None
    city: Text100
    postal_code: Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=NOT_BLANK)]
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"), Field(examples=["KR"])]


class ShipmentWritten(BaseModel):
    shipment_id: str
    position: int = Field(description="Pass as `?min_position=` to read your own write.")
