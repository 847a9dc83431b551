"""Stored events as JSON for the stream browser: type, version, timestamp, data, metadata."""

from __future__ import annotations

import re
from typing import Any

from fastapi.encoders import jsonable_encoder

from domain.shared.context import metadata_of

STREAM_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,199}$")
_ENVELOPE = ("originator_id", "originator_version", "timestamp", "metadata")


def event_json(event: Any, position: int | None = None) -> dict[str, Any]:
    data = {key: value for key, value in vars(event).items() if key not in _ENVELOPE}
    return {
        "position": position,
        "stream": str(event.originator_id),
        "version": event.originator_version,
        "type": type(event).__qualname__,
        "timestamp": event.timestamp.isoformat(),
        "data": jsonable_encoder(data),
        "metadata": metadata_of(event),
    }


def stream_events(
    store: Any, stream_id: str, after: int | None, limit: int
) -> list[dict[str, Any]]:
    """Up to `limit` events of one stream with a version above `after`, oldest first."""
    events = store.events.get(stream_id, gt=after, limit=limit)
    return [event_json(event) for event in events]


def recent_events(log: Any, limit: int) -> list[dict[str, Any]]:
    """The last `limit` events of the shop, newest first.

    Read backwards from the end: `head - limit` is no position on KurrentDB, where
    positions are byte offsets and a read must start at one that exists.
    """
    return [event_json(item.event, item.position) for item in log.recent(limit)]
