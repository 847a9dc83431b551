"""The checkout process manager: follows the log and drives every order to a terminal state."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from commands.process_managers.driver import CheckoutDriver
from commands.process_managers.messages import TOPICS
from commands.process_managers.parking import Parking
from commands.process_managers.parts import Partition, SagaParts
from commands.process_managers.progress import Progress
from commands.process_managers.relevance import needed_by
from domain.checkout import Checkout, DeadlinePassed
from domain.shared.base import ConcurrencyConflict

log = logging.getLogger(__name__)
DUE_EVERY = timedelta(seconds=0.1)


class CheckoutProcessManager:
    """Drives each order's checkout saga, recording its progress in `checkout-<order uuid>`.

    Trigger: `Order.Placed` in the log, then stock, coupon, payment and order events, and
    payment deadlines from `SagaState`. What to do is `domain.checkout`'s to say (each
    event folded in by `observe`, the commands named by `decide`: the happy path's or the
    compensation's); `CheckoutDriver` carries it out for one order at a time.

    This class follows the log in batches. A batch's appends go to the store in one
    transaction (the unit of work); if another writer made the batch stale, it is handled
    again with one append per command. The position and the deadlines it moved are saved
    after the batch. Correctness rests on the Checkout stream, idempotent commands and
    deterministic ids; the position and the unit's held aggregates only save work.
    """

    def __init__(
        self,
        parts: SagaParts,
        partition: Partition | None = None,
        batch_size: int = 200,
        save_every_s: float = 0.0,
        parking: Parking | None = None,
    ) -> None:
        self.log, self.state, self.clock, self.crash = (
            parts.log,
            parts.state,
            parts.clock,
            parts.crash,
        )
        self.unit, self.batch_size = parts.unit, batch_size
        self.partition = partition or Partition()
        self.name = self.partition.name
        self.progress = Progress(parts.state, self.partition.names, save_every_s)
        self.driver = CheckoutDriver(parts, self.partition, self.progress)
        self.keep = needed_by(self.partition)  # another partition's events: not decoded
        self._due_checked: datetime | None = None
        self.parking = parking  # None: a bad event fails every batch until it is fixed

    def repartition(self, partition: Partition) -> None:
        """Hold `partition` from now on (a worker's leases changed): forget everything, and
        go on from the lowest position of the partitions now held."""
        self.forget()
        self.partition, self.name = partition, partition.name
        self.progress = Progress(self.state, partition.names, self.progress.every_s)
        self.driver.partition, self.driver.progress = partition, self.progress
        self.keep = needed_by(partition)

    @property
    def position(self) -> int | None:
        """The log position handled up to (None until the first batch reads it)."""
        return self.progress.position

    def run_batch(self) -> int:
        """Handle the next batch of events after the position; how many were handled."""
        if self.parking is not None:  # first: a replay may forget what is in hand
            self.parking.take_back(self)
        after = self.progress.start()
        try:
            batch = self.log.read_batch(after, self._scan_size, TOPICS, self.keep)
            self.in_unit([logged.event for logged in batch.events])
        except Exception as error:
            if self.parking is None or not self.parking.at_fault(error):
                raise
            return self.parking.isolate(self)  # one at a time; parks the event at fault
        if batch.events or self.progress.pending:
            self.commit(batch.upto)
        elif batch.upto > after:  # only others' events: the position is a cache, so it is
            self.progress.skip(batch.upto)  # saved now and then, not with every poll
        return len(batch.events)

    @property
    def _scan_size(self) -> int:
        """How many events of the log a batch reads: `batch_size` of this manager's own,
        about. A manager holding one of four partitions keeps a quarter of what it reads
        (the rest are skipped undecoded); reading only `batch_size` would make its batches,
        and so its commits per order, four times what one manager of all four pays."""
        return self.batch_size * self.partition.count // len(self.partition.held)

    def fire_deadlines(self) -> int:
        """Time out the payments whose deadline has passed; how many were due.

        Asked at most every `DUE_EVERY` of the clock: a deadline is seconds away, and
        asking with every poll of the log cost each worker a query every few ms.
        """
        position = self.progress.start()
        now = self.clock()
        if self._due_checked is not None and now - self._due_checked < DUE_EVERY:
            return 0
        self._due_checked = now
        due = self.state.due(self.partition.owns, now)
        self.in_unit([DeadlinePassed(order_id) for order_id in due])
        if due:
            self.commit(position)
        return len(due)

    def handle(self, event: Any) -> Checkout | None:
        """Drive the order `event` is about as far as it goes now (within the open unit)."""
        return self.driver.handle(event)

    def forget(self) -> None:
        """Drop everything held in memory (after a failure): the store is the truth, and
        the saved position is where the log is read again from."""
        self._forget_work()
        self.progress.forget_work()
        self.progress.position, self.progress.unsaved = None, False
        self._due_checked = None

    def flush(self) -> None:
        """Save the position and deadlines noted but not saved yet (see `Progress`)."""
        self.progress.flush()

    def _forget_work(self) -> None:
        """Drop the batch in hand. Deadlines noted by earlier batches, not saved yet, stay:
        a stale one only fires for a checkout that no longer waits, which does nothing."""
        self.unit.discard()
        self.driver.captures.clear()

    def in_unit(self, events: list[Any]) -> None:
        """Handle `events` as one unit. If it was stale: again reading every stream first
        (a replay met the unit's guesses), and if another writer made that stale too,
        step by step (see `UnitOfWork`)."""
        try:
            try:
                self._handle_all(events)
            except ConcurrencyConflict:
                if self.unit.write_through:
                    raise
                log.info("saga %s: a stream changed under the batch; redoing it", self.name)
                self._redo(events)
        except BaseException:
            self.forget()
            raise

    def _redo(self, events: list[Any]) -> None:
        self._forget_work()
        try:
            with self.unit.reading_first():
                self._handle_all(events)
        except ConcurrencyConflict:
            log.info("saga %s: still stale; redoing it step by step", self.name)
            self._forget_work()
            with self.unit.writing_through():
                self._handle_all(events)

    def _handle_all(self, events: list[Any]) -> None:
        for event in events:
            if self.parking is not None and self.parking.holds(event):
                self._wait(event)
            else:
                self.driver.handle(event)
        self.driver.flush()

    def _wait(self, event: Any) -> None:
        """Leave an event of a parked order for its retry (which replays it from the log)."""
        if isinstance(event, DeadlinePassed):  # due again only once the order is retried
            self.progress.nothing_due(event.order_id)
        else:
            self.unit.saw(event)  # another writer's move still makes a held copy stale

    def commit(self, position: int) -> None:
        try:
            self.progress.save(position)
        except BaseException:
            self.forget()
            raise
        self.crash("position saved")
