"""What command handlers need from the outside world, as protocols.

Handlers depend on these, never on a concrete backend; `eventstore.application.ShopStore`
satisfies `EventStore` on every backend.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from domain.shared.base import EventSourced

A = TypeVar("A", bound=EventSourced)

Clock = Callable[[], datetime]


class EventStore(Protocol):
    def get(self, stream_id: str) -> Any:
        """The aggregate at its latest version; raises `NotFound` if the stream is empty."""

    def find(self, stream_id: str) -> Any | None:
        """The aggregate, or None if the stream is empty."""

    def save(self, *aggregates: EventSourced) -> int | None:
        """Append the aggregates' pending events atomically where the store allows.

        Returns the log position of the last event appended (None if there was nothing
        to append). A stale writer raises `domain.shared.base.ConcurrencyConflict`.
        """
