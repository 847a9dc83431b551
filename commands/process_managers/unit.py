"""The saga's unit of work: many commands' events appended in one transaction.

Every order costs the saga about eight appends; one transaction each would make the
store's commit rate the saga's ceiling. A `UnitOfWork` stands in for the event store
while the saga handles a batch: handlers load and save through it as usual, later
commands see the earlier ones' events, and `commit()` appends everything the batch
recorded atomically.

It is also the saga's one aggregate cache: the aggregates stay in memory after a commit
(up to `keep` of them), Checkouts included, so the next batch does not read back what
this one wrote. That is safe because every append is checked against the stream's
version: if another writer got there first, the whole commit fails and writes nothing,
the unit forgets everything it holds, and the saga handles the batch again: first still
as one commit but reading every stream it had taken as new (`reading_first`), since most
conflicts are its own guesses meeting a replay; only if that conflicts too, with
`write_through` on, one append per command. On EventStoreDB, where an append holds one
stream, the unit always writes through; it still holds what it loaded and saved, and
drops a copy whose append failed."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.application import ProcessingEvent

from domain.shared.base import NotFound
from domain.shared.context import current_metadata
from eventstore.application import ShopStore, collect


class UnitOfWork:
    """The `EventStore` port for the saga's command handlers (see `commands.ports`)."""

    def __init__(self, store: ShopStore, write_through: bool = False, keep: int = 50_000) -> None:
        self.store = store
        self.write_through = write_through
        self.guessing = True  # `seed` and `absent` may take a stream as known without a read
        self.keep = keep
        self._loaded: OrderedDict[str, Any] = OrderedDict()
        self._recorded: dict[tuple[str, int], Any] = {}
        self._processing: ProcessingEvent[str] = ProcessingEvent()

    @contextmanager
    def writing_through(self) -> Iterator[None]:
        """Append each save at once for the duration (a batch redone after a conflict)."""
        before, self.write_through = self.write_through, True
        try:
            yield
        finally:
            self.write_through = before

    @contextmanager
    def reading_first(self) -> Iterator[None]:
        """Read every stream from the store for the duration, never guess one new or seeded.

        A first delivery of `Order.Placed` lets the saga take the order's streams as new.
        Replayed (after a restart, a lease moved, a checkpoint saved a while ago) the guess
        is wrong and the commit conflicts; redone reading first, the batch still commits
        as one. Step by step, as after a conflict with another writer, a batch of a few
        hundred events took seconds on PostgreSQL, and a replay of a few batches put a
        worker tens of seconds behind.
        """
        before, self.guessing = self.guessing, False
        try:
            yield
        finally:
            self.guessing = before

    def get(self, stream_id: str) -> Any:
        aggregate = self.find(stream_id)
        if aggregate is None:
            raise NotFound(f"{stream_id} does not exist")
        return aggregate

    def holds(self, stream_id: str) -> bool:
        """Whether `find` answers from memory (a held copy, or a stream taken as empty)."""
        return stream_id in self._loaded

    def find(self, stream_id: str) -> Any | None:
        if stream_id in self._loaded:
            self._loaded.move_to_end(stream_id)
            return self._loaded[stream_id]
        aggregate = self.store.find(stream_id)
        if aggregate is not None:
            self._hold(aggregate)
        return aggregate

    def read(self, stream_id: str) -> Any | None:
        return self.find(stream_id)  # its copies are its own already

    def save(self, *aggregates: Any) -> int | None:
        if self.write_through:
            return self._append_now(aggregates)
        for aggregate in aggregates:
            for event in collect(self._processing, aggregate):
                # Stamped now: the ids of the message being handled, not of the commit.
                object.__setattr__(event, "metadata", current_metadata())
                self._recorded[(event.originator_id, event.originator_version)] = event
            self._hold(aggregate)
        return None

    def _append_now(self, aggregates: tuple[Any, ...]) -> int | None:
        try:
            position = self.store.save(*aggregates)
        except BaseException:
            for aggregate in aggregates:  # its events were taken but never stored
                self._loaded.pop(aggregate.id, None)
            raise
        for aggregate in aggregates:
            self._hold(aggregate)
        return position

    def seed(self, created: Any) -> None:
        """Hold the aggregate that `created` (a stream's first event, read from the log)
        began, unless a copy is held: it saves reading back what was just read."""
        if created.originator_id not in self._loaded and self._may_guess:
            self._hold(created.mutate(None))

    def absent(self, stream_id: str) -> None:
        """Take `stream_id` as empty without asking the store (a stream the caller is about
        to start). If it was not, the commit that starts it conflicts and writes nothing."""
        if stream_id not in self._loaded and self._may_guess:
            self._loaded[stream_id] = None

    @property
    def _may_guess(self) -> bool:
        return self.guessing and not self.write_through

    def saw(self, event: Any) -> None:
        """Drop the held copy of a stream the log shows another writer moved past.

        Appends are checked, but a command that finds nothing to do appends nothing: a
        refund decided on a copy that missed a capture made elsewhere would be lost.
        """
        stream_id = event.originator_id
        if stream_id in self._loaded:
            held = self._loaded[stream_id]  # None: taken as empty, and the log says not
            if held is None or held.version < event.originator_version:
                del self._loaded[stream_id]

    def _hold(self, aggregate: Any) -> None:
        self._loaded[aggregate.id] = aggregate
        self._loaded.move_to_end(aggregate.id)
        if len(self._loaded) > self.keep:
            self._loaded.popitem(last=False)

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
        self._recorded.clear()
        try:
            if processing.events:
                self.store.record(processing)
        except BaseException:
            self._loaded.clear()  # they hold events that were never stored
            raise

    def discard(self) -> None:
        """Forget what was recorded and every aggregate held: the store is the truth."""
        self._processing = ProcessingEvent()
        self._loaded.clear()
        self._recorded.clear()
