"""Bodies and answers of the return commands."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody
from api.schemas.fields import NOT_BLANK, Integral, Sku
from domain.returns import ReturnStatus

MAX_LINES = 50
MAX_QUANTITY = 1000

Reason = Annotated[
    str,
    StringConstraints(min_length=1, max_length=500, pattern=NOT_BLANK),
    Field(examples=["too small"]),
]


class ReturnLineBody(StrictBody):
    sku: Sku
    quantity: Annotated[int, Field(ge=1, le=MAX_QUANTITY), Integral]


class RequestReturnBody(StrictBody):
    kind: Literal["refund", "exchange"] = Field(
        description="`refund`: the lines' share of what was paid comes back; `exchange`: "
        "the same skus are shipped again (refunded instead when out of stock)."
    )
    lines: Annotated[list[ReturnLineBody], Field(min_length=1, max_length=MAX_LINES)]
    reason: Reason


class RejectReturnBody(StrictBody):
    reason: Reason


class ReturnAccepted(BaseModel):
    """The return is requested; an admin approves or rejects it."""

    return_id: str
    status: Literal[ReturnStatus.REQUESTED] = ReturnStatus.REQUESTED
    position: int = Field(description="Pass as `?min_position=` to read the return back.")


class ReturnWritten(BaseModel):
    return_id: str
    position: int = Field(description="Pass as `?min_position=` to read your own write.")
