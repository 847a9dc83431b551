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

    def read(self, stream_id: str) -> Any | None:
        """Like `find`, for looking only: may be the store's cached object itself, so the
        caller must neither change nor save it (no copy is made: cheaper)."""

    def save(self, *aggregates: EventSourced) -> int | None:
        """Append the aggregates' pending events atomically where the store allows.

        Returns the log position of the last event appended (None if there was nothing
        to append). A stale writer raises `domain.shared.base.ConcurrencyConflict`.
        """


class Passwords(Protocol):
    """Password hashing (argon2id in `adapters.passwords`); handlers never see a backend."""

    def hash(self, password: str) -> str:
        """A fresh salted hash of `password`."""

    def verify(self, password_hash: str, password: str) -> bool:
        """Whether `password` matches; False for a wrong one or an unreadable hash."""

    def needs_rehash(self, password_hash: str) -> bool:
        """Whether `password_hash` was made with other parameters than today's."""


class DataKeys(Protocol):
    """The customers' data keys, apart from the events (`eventstore.keys`)."""

    def erase(self, subject: str) -> None:
        """Delete `subject`'s key for good: their sealed fields load as None from now on."""


class KeyedEventStore(EventStore, Protocol):
    """An event store that seals personal data with per-customer keys it can erase."""

    @property
    def keys(self) -> DataKeys: ...
