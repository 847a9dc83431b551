"""Bodies and answers of the webhook routes (admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from api.schemas.common import StrictBody
from integration.contract import TYPES

EVENT_TYPES = (*TYPES, "*")
DeliveryStatus = Literal["PENDING", "SENT", "FAILED", "DEAD"]


def _http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    return url


def _no_repeats(events: list[str]) -> list[str]:
    if len(set(events)) != len(events):
        raise ValueError("names a type twice")
    return events


WebhookUrl = Annotated[
    str,
    StringConstraints(min_length=10, max_length=2048),
    AfterValidator(_http_url),
    Field(examples=["https://example.com/shop-events"]),
]
EventType = Literal[EVENT_TYPES]  # type: ignore[valid-type]


class CreateWebhookBody(StrictBody):
    url: WebhookUrl
    events: Annotated[
        list[EventType],
        Field(min_length=1, max_length=len(EVENT_TYPES)),
        AfterValidator(_no_repeats),
    ] = Field(description='Integration event types, or `["*"]` for every type, now and later.')
    secret: Annotated[str, StringConstraints(min_length=16, max_length=256)] = Field(
        description="Signing key of `X-Shop-Signature` (16 to 256 characters); never shown again."
    )


class WebhookCreated(BaseModel):
    webhook_id: str


class WebhookItem(BaseModel):
    webhook_id: str
    url: str
    events: list[str]
    created_at: str


class WebhookList(BaseModel):
    """Every subscription; secrets are never part of it."""

    total: int
    items: list[WebhookItem]


class DeliveryItem(BaseModel):
    delivery_id: int
    event_id: str
    type: str
    status: DeliveryStatus
    attempts: int
    last_status_code: int | None = Field(description="The receiver's last answer, if any.")
    next_attempt_at: datetime | None = Field(description="When a waiting delivery goes next.")
    last_error: str | None = Field(None, description="Why the last attempt failed.")


class DeliveryList(BaseModel):
    total: int
    items: list[DeliveryItem]


class RetryAccepted(BaseModel):
    delivery_id: int
    status: Literal["PENDING"] = "PENDING"
