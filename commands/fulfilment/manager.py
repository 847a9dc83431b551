"""The fulfilment process manager: follows the log and takes every order from confirmed to
delivered, cancelled or returned.

Trigger: `Order.Confirmed`, then the order's cancellation request and every Shipment and
Return event. What to do is `domain.fulfilment`'s to say (`decide`, on the Fulfilment
stream's state); `FulfilmentDriver` carries it out through a unit of work: a batch's steps
are appended in one transaction at its end, and in one more before each effect (a void,
a hand-over, a refund) leaves, so the ask is durable first; the labels a batch asks for
are committed together and then requested. Writing each step
through cost about seven transactions per order. If another writer made the batch stale
(the conflict fails the commit and writes nothing), the batch is handled again with one
append per step. The position is saved after the batch's events, with the lease checked
in the same transaction.

A bad event is parked after `max_attempts` failures (`Parking`); an outage of the carrier
or the payment provider is not an event's fault and is retried until they answer.
"""

from __future__ import annotations

import logging
from typing import Any

from commands.carrier import TransientCarrierError
from commands.fulfilment.driver import FulfilmentDriver
from commands.fulfilment.parking import FulfilmentParking
from commands.fulfilment.routing import TOPICS
from commands.payment_gateway import TransientGatewayError
from commands.process_managers.state import SagaState
from domain.shared.base import ConcurrencyConflict
from eventstore.fencing import current_leases
from eventstore.log import EventLog

log = logging.getLogger(__name__)
NAME = "fulfilment"
OUTAGES = (TransientCarrierError, TransientGatewayError)


class FulfilmentProcessManager:
    """Follows the log in batches for the fulfilment of every order (one lease unit)."""

    name = NAME

    def __init__(
        self,
        log: EventLog,
        state: SagaState,
        driver: FulfilmentDriver,
        parking: FulfilmentParking | None = None,
        batch_size: int = 100,
    ) -> None:
        self.log, self.state, self.driver, self.parking = log, state, driver, parking
        self.store = self.unit = driver.store
        self.batch_size = batch_size
        self.position: int | None = None  # None: read from the state first
        self._saved = -1

    def run_batch(self) -> int:
        """Handle the next batch of events after the position; how many were handled."""
        if self.position is None:
            self.position = self._saved = self.state.checkpoint(NAME)
        if self.parking is not None:
            self.parking.take_back(self)
        stored, upto = self.log.stored_batch(self.position, self.batch_size, TOPICS)
        try:
            try:
                self._handle_all(stored)
            except ConcurrencyConflict:
                if self.unit.write_through:
                    raise
                log.info("fulfilment: a stream changed under the batch; redoing it step by step")
                self._undo()
                with self.unit.writing_through():
                    self._handle_all(stored)
        except BaseException:
            self._undo()  # what was committed stays; the rest is handled again
            raise
        self.commit(upto)
        return len(stored)

    def _handle_all(self, stored: list[Any]) -> None:
        for notification in stored:
            self._handle(notification)
            self.position = notification.id
        self._flush()

    def fire_deadlines(self) -> int:
        return 0  # fulfilment waits on people and the carrier, never on a clock

    def handle(self, event: Any) -> None:
        """Handle one event now, its steps committed on return (parking's retries)."""
        self.unit.saw(event)
        self.driver.handle(event)
        self._flush()

    def _handle(self, notification: Any) -> None:
        try:
            event = self.log.decoded(notification)
            self.unit.saw(event)  # a copy held since another writer moved it is dropped
            if self.parking is None or not self.parking.holds(self.store, event):
                self.driver.handle(event)
        except Exception as error:
            if isinstance(error, OUTAGES) or self.parking is None:
                raise
            self.commit(self.position or 0)  # what went before stays handled
            self.parking.count(self, notification, error)  # raises until it parks

    def commit(self, position: int) -> None:
        """Commit the steps recorded, then save the position if it moved (an idle poll
        writes nothing)."""
        self._flush()
        if position > self._saved:
            self.state.save(NAME, position, {}, (), current_leases())
            self._saved = position
        self.position = position

    def flush(self) -> None:
        """Nothing waits in memory: the position is saved with every batch."""

    def forget(self) -> None:
        self.driver.forget()
        self.unit.discard()
        self.position, self._saved = None, -1

    def _flush(self) -> None:
        """Append what the unit recorded; request the labels it asked for (durable now),
        record their answers and go on, committing again, until nothing is asked. Then
        let go of what it held: the next batch reads afresh what other writers may have
        moved meanwhile."""
        self.unit.commit()
        while self.driver.asked:
            self.driver.go_on()
            self.unit.commit()
        self.unit.discard()

    def _undo(self) -> None:
        """Drop what the unit recorded and go back to the saved position."""
        self.driver.forget()
        self.unit.discard()
        self.position = self._saved if self._saved >= 0 else None

    def repartition(self, partition: Any) -> None:
        """One unit of work, never split: nothing to change."""
        self.forget()
