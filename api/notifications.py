"""The notification records the routes read and retry: `shop_notifications`, in the
database beside the events (where the dead letters are), opened on first use."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from notifications.records import SENDING, NotificationRecords

# SENDING is the sender's own business: to a reader it is still on its way.
SHOWN = {SENDING: "PENDING"}


async def get_notifications(request: Request) -> NotificationRecords:
    state = request.app.state
    if getattr(state, "notifications", None) is None:
        letters = state.read_models.dead_letters
        records = NotificationRecords(letters.engine)
        if state.settings.create_tables:
            records.create_tables()
        state.notifications = records
    found: NotificationRecords = state.notifications
    return found


NotificationsDep = Annotated[NotificationRecords, Depends(get_notifications)]


def as_item(row: dict[str, Any]) -> dict[str, Any]:
    """A stored row as the API shows it: times in UTC, SENDING as PENDING."""
    sent = row["sent_at"]
    return row | {
        "status": SHOWN.get(row["status"], row["status"]),
        "created_at": datetime.fromtimestamp(row["created_at"], UTC),
        "sent_at": None if sent is None else datetime.fromtimestamp(sent, UTC),
    }
