"""One bad event never stops fulfilment: its order is parked, the other orders go on.

As for the checkout saga: an event that fails `max_attempts` times in a row is recorded as
a `fulfilment` dead letter naming its order, and the position moves past it; later events
of that order wait (they are skipped, and replayed on retry). `shop dead-letters retry`
hands the row back; the manager then replays the parked event and the order's later
events from the log. Every step is idempotent, so replaying does nothing twice.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from commands.fulfilment.routing import TOPICS, route
from commands.ports import Clock, EventStore
from eventstore.dead_letters import (
    FULFILMENT,
    PARKED,
    RETRY,
    DeadLetter,
    DeadLetters,
    Strikes,
)
from eventstore.log import EventLog

log = logging.getLogger(__name__)
RELOAD_EVERY_S = 1.0


class Follower(Protocol):
    """What parking needs of the fulfilment manager."""

    log: EventLog
    position: int | None
    batch_size: int

    @property
    def store(self) -> EventStore: ...

    def handle(self, event: Any) -> Any: ...


class FulfilmentParking:
    def __init__(self, letters: DeadLetters, max_attempts: int, clock: Clock) -> None:
        self.letters, self.max_attempts, self.clock = letters, max_attempts, clock
        self.orders: frozenset[str] = frozenset()
        self.strikes = Strikes(FULFILMENT, max_attempts, clock)
        self._loaded_at: float | None = None

    def holds(self, store: EventStore, event: Any) -> bool:
        """Whether `event` is about a parked order (read only while some order is parked)."""
        return bool(self.orders) and route(store, event)[0] in self.orders

    def count(self, manager: Follower, stored: Any, error: Exception) -> None:
        """Count a failure against `stored`; raise `error` again unless it is now parked."""
        if not self.strikes.count(stored, error):
            raise error
        order_id = _order_of(manager, stored)
        letter_id = self.letters.park(self.strikes.letter(FULFILMENT, stored, error, order_id))
        self.orders |= {order_id} if order_id else set()
        self.strikes.clear()
        log.error("fulfilment parked order %s as dead letter %d", order_id, letter_id)

    def take_back(self, manager: Follower) -> None:
        """Reload the parked orders (at most once a second) and replay those handed back."""
        now = time.monotonic()
        if self._loaded_at is not None and now - self._loaded_at < RELOAD_EVERY_S:
            return
        self._loaded_at = now
        rows = self.letters.of_consumer(FULFILMENT)
        self.orders = frozenset(r.order_id for r in rows if r.status == PARKED and r.order_id)
        for letter in rows:
            if letter.status == RETRY and letter.id is not None:
                self._redrive(manager, letter)

    def _redrive(self, manager: Follower, letter: DeadLetter) -> None:
        assert letter.id is not None
        try:
            for event in _replayed(manager, letter):
                manager.handle(event)
        except Exception as error:
            self.letters.parked_again(letter.id, error, self.clock())
            self.orders |= {letter.order_id} if letter.order_id else set()
            log.warning("fulfilment: order %s failed again: %s", letter.order_id, error)
            return
        self.letters.resolve(letter.id)


def _order_of(manager: Follower, stored: Any) -> str | None:
    try:
        return route(manager.store, manager.log.decoded(stored))[0]
    except Exception:
        return None  # it does not even decode: parked on its own


def _replayed(manager: Follower, letter: DeadLetter) -> list[Any]:
    """The parked event, then its order's events after it up to the manager's position."""
    events = [manager.log.decoded(manager.log.stored_at(letter.position))]
    after, stop = letter.position, manager.position or letter.position
    while letter.order_id is not None and after < stop:
        stored, upto = manager.log.stored_batch(after, manager.batch_size, TOPICS)
        for notification in stored:
            if notification.id <= stop:
                event = manager.log.decoded(notification)
                if route(manager.store, event)[0] == letter.order_id:
                    events.append(event)
        if upto <= after:
            break
        after = upto
    return events
