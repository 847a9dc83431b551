"""Bodies of the catalog commands."""

from __future__ import annotations

from pydantic import Field

from api.schemas.common import StrictBody
from api.schemas.fields import Attributes, Currency, Description, Price, Sku, Text100, Text200


class RegisterProductBody(StrictBody):
    sku: Sku
    name: Text200
    description: Description = ""
    category: Text100
    brand: Text100
    price: Price
    currency: Currency
    attributes: Attributes = Field(default_factory=dict)


class ChangeDetailsBody(StrictBody):
    """Only the fields given change; `attributes`, when given, replaces the whole map."""

    name: Text200 | None = None
    description: Description | None = None
    category: Text100 | None = None
    brand: Text100 | None = None
    attributes: Attributes | None = None


class ChangePriceBody(StrictBody):
    price: Price
