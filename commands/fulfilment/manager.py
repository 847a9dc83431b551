"""The fulfilment process manager: follows the log and takes every order from confirmed to
delivered, cancelled or returned.

Trigger: `Order.Confirmed`, then the order's cancellation request and every Shipment and
Return event. What to do is `domain.fulfilment`'s to say (`decide`, on the Fulfilment
stream's state); `FulfilmentDriver` carries it out, writing through (fulfilment is a
few steps per order, not the checkout's hot path, so no group commit). The position is
saved after each batch with the lease checked in the same transaction.

A bad event is parked after `max_attempts` failures (`Parking`); an outage of the carrier
or the payment provider is not an event's fault and is retried until they answer.
"""

from __future__ import annotations

from typing import Any

from commands.carrier import TransientCarrierError
from commands.fulfilment.driver import FulfilmentDriver
from commands.fulfilment.parking import FulfilmentParking
from commands.fulfilment.routing import TOPICS
from commands.payment_gateway import TransientGatewayError
from commands.process_managers.state import SagaState
from eventstore.fencing import current_leases
from eventstore.log import EventLog

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
        self.store = driver.store
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
        for notification in stored:
            self._handle(notification)
            self.position = notification.id
        self.commit(upto)
        return len(stored)

    def fire_deadlines(self) -> int:
        return 0  # fulfilment waits on people and the carrier, never on a clock

    def handle(self, event: Any) -> None:
        self.driver.handle(event)

    def _handle(self, notification: Any) -> None:
        try:
            event = self.log.decoded(notification)
            if self.parking is None or not self.parking.holds(self.store, event):
                self.driver.handle(event)
        except Exception as error:
            if isinstance(error, OUTAGES) or self.parking is None:
                raise
            self.commit(self.position or 0)  # what went before stays handled
            self.parking.count(self, notification, error)  # raises until it parks

    def commit(self, position: int) -> None:
        """Save the position if it moved (an idle poll writes nothing)."""
        if position > self._saved:
            self.state.save(NAME, position, {}, (), current_leases())
            self._saved = position
        self.position = position

    def flush(self) -> None:
        """Nothing waits in memory: the position is saved with every batch."""

    def forget(self) -> None:
        self.position, self._saved = None, -1

    def repartition(self, partition: Any) -> None:
        """One unit of work, never split: nothing to change."""
        self.forget()
