"""Bodies of the stock commands."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from api.schemas.common import StrictBody
from api.schemas.fields import MAX_STOCK, Integral, Text200


class ReceiptBody(StrictBody):
    quantity: Annotated[int, Field(ge=1, le=MAX_STOCK), Integral]


class AdjustmentBody(StrictBody):
    """A stock count correction: `delta` may be negative, never below what is reserved."""

    delta: Annotated[int, Field(ge=-MAX_STOCK, le=MAX_STOCK), Integral]
    reason: Text200
