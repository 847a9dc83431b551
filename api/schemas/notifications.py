"""Answers of the notification routes: a customer's messages and an admin's retry."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class NotificationItem(BaseModel):
    notification_id: str
    kind: str  # order_confirmed, order_cancelled, shipment_shipped, ...
    order_id: str
    channel: str
    status: str  # PENDING, SENT, FAILED, DEAD, SKIPPED
    attempts: int
    created_at: datetime
    sent_at: datetime | None


class NotificationPage(BaseModel):
    total: int
    items: list[NotificationItem]


class RetryAccepted(BaseModel):
    notification_id: str
    status: str  # PENDING: it will be sent again shortly
