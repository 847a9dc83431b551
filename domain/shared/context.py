"""Correlation and causation ids for the events a command records.

Set once where a message enters (an HTTP request, a saga step); the event store's mapper
stamps them on every event saved inside the block, without threading them through
every method signature.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import uuid4

_CURRENT: ContextVar[dict[str, str] | None] = ContextVar("shop_message_context", default=None)


@contextmanager
def message_context(
    correlation_id: str | None = None, causation_id: str | None = None
) -> Iterator[dict[str, str]]:
    """Events saved inside the block carry these ids (a fresh correlation id if none)."""
    correlation = correlation_id or str(uuid4())
    metadata = {"correlation_id": correlation, "causation_id": causation_id or correlation}
    token = _CURRENT.set(metadata)
    try:
        yield metadata
    finally:
        _CURRENT.reset(token)


def current_metadata() -> dict[str, str]:
    """The ids of the message being handled; a fresh pair outside any block."""
    metadata = _CURRENT.get()
    if metadata is None:
        fresh = str(uuid4())
        return {"correlation_id": fresh, "causation_id": fresh}
    return metadata


def metadata_of(event: object) -> dict[str, str]:
    """The correlation/causation ids a stored event was saved with ({} if unsaved)."""
    return dict(getattr(event, "metadata", None) or {})


def current_correlation_id() -> str | None:
    """The correlation id of the message being handled, or None outside any (for logs)."""
    metadata = _CURRENT.get()
    return None if metadata is None else metadata["correlation_id"]
