"""The saga's unit of work: many commands' events appended in one transaction.

Every order costs the saga about eight appends; one transaction each would make the
store's commit rate the saga's ceiling. A `UnitOfWork` stands in for the event store
while the saga handles a batch: handlers load and save through it as usual, each stream
is loaded once per unit and later commands see the earlier ones' events, and `commit()`
appends everything the batch recorded atomically. A stale stream (another writer got
there first) makes the whole commit fail and write nothing; the saga then handles the
batch again with `write_through` on, one append per command. On EventStoreDB, where an
append holds one stream, the unit always writes through.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.application import ProcessingEvent

from domain.shared.base import NotFound
from domain.shared.context import current_metadata
from eventstore.application import ShopStore


class UnitOfWork:
    """The `EventStore` port for the saga's command handlers (see `commands.ports`)."""

    def __init__(self, store: ShopStore, write_through: bool = False) -> None:
        self.store = store
        self.write_through = write_through
        self._loaded: dict[str, Any] = {}
        self._recorded: dict[tuple[str, int], Any] = {}
        self._processing: ProcessingEvent[str] = ProcessingEvent()

    def get(self, stream_id: str) -> Any:
        aggregate = self.find(stream_id)
        if aggregate is None:
            raise NotFound(f"{stream_id} does not exist")
        return aggregate

    def find(self, stream_id: str) -> Any | None:
        if stream_id in self._loaded:
            return self._loaded[stream_id]
        aggregate = self.store.find(stream_id)
        if aggregate is not None and not self.write_through:
            self._loaded[stream_id] = aggregate
        return aggregate

    def save(self, *aggregates: Any) -> int | None:
        if self.write_through:
            return self.store.save(*aggregates)
        for aggregate in aggregates:
            events = aggregate.collect_events()
            for event in events:
                # Stamped now: the ids of the message being handled, not of the commit.
                object.__setattr__(event, "metadata", current_metadata())
                self._recorded[(event.originator_id, event.originator_version)] = event
            self._processing.collect_events(*events)
            self._processing.aggregates[aggregate.id] = aggregate
            self._loaded[aggregate.id] = aggregate
        return None

    def recorded(self, stream_id: str, version: int) -> Any | None:
        """The event at `version` of `stream_id`, as this unit or the store holds it."""
        if (stream_id, version) in self._recorded:
            return self._recorded[(stream_id, version)]
        found = list(self.store.events.get(stream_id, gt=version - 1, lte=version))
        return found[-1] if found else None

    @property
    def pending(self) -> int:
        return len(self._processing.events)

    def commit(self) -> None:
        """Append what the unit recorded in one transaction (`ConcurrencyConflict` if stale)."""
        processing, self._processing = self._processing, ProcessingEvent()
        self._loaded.clear()
        self._recorded.clear()
        if processing.events:
            self.store.record(processing)

    def discard(self) -> None:
        """Forget what was recorded: nothing of it reached the store."""
        self._processing = ProcessingEvent()
        self._loaded.clear()
        self._recorded.clear()
