"""The carrier webhook's report and its answer."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody
from api.schemas.fields import Text100, Timestamp

EVENT_ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,100}$"


class CarrierEventBody(StrictBody):
    """One report of the carrier about a parcel."""

    event_id: Annotated[
        str,
        StringConstraints(pattern=EVENT_ID_PATTERN),
        Field(description="The carrier's id of this report: a repeat records nothing."),
    ]
    tracking_number: Text100
    status: Literal["IN_TRANSIT", "DELIVERED", "LOST"]
    occurred_at: Timestamp


class CarrierEventAccepted(BaseModel):
    position: int = Field(
        description="The report's log position; for a repeat or a late report, the log head."
    )
