"""Small helpers the projectors share for reading ids and fields off logged events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventstore.log import Logged

_ENVELOPE = {"originator_id", "originator_version", "timestamp", "metadata", "originator_topic"}
_SECRETS = {"payment_token", "token"}  # card tokens never leave the write side
_SKIP = _ENVELOPE | _SECRETS
_NESTED = (datetime, dict, list, tuple)
_SKIPPED: dict[type, frozenset[str]] = {}  # per event class: every timeline entry asks


def stream_key(logged: Logged) -> str:
    """The id after the stream's category: `inventory-SKU-1` -> `SKU-1`."""
    return str(logged.event.originator_id).split("-", 1)[1]


def category(logged: Logged) -> str:
    return str(logged.event.originator_id).split("-", 1)[0]


def iso(value: datetime) -> str:
    return value.isoformat()


def plain(value: Any) -> Any:
    """A JSON-safe copy: datetimes as ISO strings, containers copied."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def payload(logged: Logged) -> dict[str, Any]:
    """The event's own fields, JSON-safe, without envelope, secrets and personal data (a
    read model keeps none: it could not forget it when its customer is erased)."""
    kind = type(logged.event)
    skip = _SKIPPED.get(kind) or _SKIPPED.setdefault(kind, _skipped(kind))
    return {
        k: plain(v) if isinstance(v, _NESTED) else v
        for k, v in vars(logged.event).items()
        if k not in skip
    }


def _skipped(event_class: type) -> frozenset[str]:
    return frozenset(_SKIP.union(getattr(event_class, "PERSONAL_FIELDS", ())))
