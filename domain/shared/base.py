"""The base every aggregate stands on: string stream ids, version 0 first, explicit topics.

Stream ids carry their category (`order-<uuid>`, `inventory-<sku>`) so EventStoreDB's
`$ce-` projections and a human reading the log see the same names. Topics are explicit
(`shop.order.placed`) so that moving a class never changes what is stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import (
    BaseAggregate,
    CanCreateTimestamp,
    CanInitAggregate,
    CanMutateAggregate,
    CanSnapshotAggregate,
    MetaDomainEvent,
)


class DomainError(Exception):
    """A command refused by a business rule. Nothing was recorded."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(DomainError):
    """The command's own values are malformed (empty, negative, too long, ...)."""

    code = "invalid_input"


class IdempotencyKeyReused(DomainError):
    """A retried request carried a key already used for a different request."""

    code = "idempotency_key_reused"


class NotFound(DomainError):
    """The command names an aggregate that does not exist."""

    code = "not_found"


class ShopEvent(CanCreateTimestamp, metaclass=MetaDomainEvent):
    """Frozen dataclass with a string originator id (the library's default is a UUID)."""

    originator_id: str
    originator_version: int
    timestamp: datetime


class EventSourced(BaseAggregate[str]):
    """Base aggregate: first event at version 0, which EventStoreDB reads as "no stream"."""

    INITIAL_VERSION = 0

    class Event(ShopEvent, CanMutateAggregate[str]):
        # Fields holding personal data, sealed in the store (`domain.shared.personal`).
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ()

        def data_subject(self) -> str | None:
            """The customer whose data key seals this event's personal fields."""
            return getattr(self, "customer_id", None)

    class Snapshot(ShopEvent, CanSnapshotAggregate[str]):
        topic: str
        state: dict[str, Any]


class Created(EventSourced.Event, CanInitAggregate[str]):
    """Base of every aggregate's first event.

    Module level on purpose: nested event classes of a base aggregate are copied onto each
    subclass, and with explicit topics every copy would need a topic of its own.
    """

    originator_topic: str


def require(condition: bool, error: DomainError) -> None:
    """Raise `error` unless `condition`: keeps guard clauses one line each."""
    if not condition:
        raise error


class ConcurrencyConflict(Exception):
    """Another writer appended to the stream first; reload and retry the command."""

    code = "concurrency_conflict"
