"""One bad event never stops the checkout saga: its order is parked, the other orders go on.

When a batch fails for a reason other than a conflict, a lost lease or a store that does
not answer, the manager handles the batch's events one at a time, each in a unit of its
own, up to the first that fails (to decode, or to be handled), and counts that failure
against it. Once the same event has failed `max_attempts` times it is parked: recorded as
a `saga` dead letter naming its order, and the position moves past it. A process manager
parks the whole order, not just the event: every later event of that order waits behind
it (a checkout must see its facts in order), while every other order goes on.

An operator's `shop dead-letters retry` hands the row back (status `retry`); the manager
that owns the order replays the parked event and the order's later events from the log
into the order's Checkout, read from the store. Commands are idempotent and captures are
recorded before they leave, so handling an event again never captures twice. A `skip`
un-parks the order without handling anything: only its events from then on are handled.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from eventsourcing.persistence import Notification

from commands.ports import Clock
from commands.process_managers.messages import TOPICS
from commands.process_managers.parts import Partition
from commands.process_managers.relevance import order_in
from commands.process_managers.replay import Follower, replayed
from domain.checkout import order_of
from domain.shared.base import ConcurrencyConflict
from eventstore.dead_letters import (
    PARKED,
    RETRY,
    SAGA,
    DeadLetter,
    DeadLetters,
    Strikes,
    error_text,
)
from eventstore.fencing import LeaseLost

log = logging.getLogger(__name__)
RELOAD_EVERY_S = 1.0  # how soon a retry or skip made elsewhere takes effect
RETRIED = (ConcurrencyConflict, LeaseLost)  # another writer or owner: retried as they were


class Parking:
    """One manager's parked orders, and the counting of failures that parks them."""

    def __init__(self, letters: DeadLetters, max_attempts: int, clock: Clock) -> None:
        self.letters, self.max_attempts, self.clock = letters, max_attempts, clock
        self.orders: frozenset[str] = frozenset()
        self.strikes = Strikes(SAGA, max_attempts, clock)
        self._loaded_at: float | None = None
        self.reload_every_s = RELOAD_EVERY_S

    def holds(self, event: Any) -> bool:
        """Whether `event` is about a parked order (then it waits behind the parked one)."""
        return bool(self.orders) and order_of(event) in self.orders

    @staticmethod
    def at_fault(error: BaseException) -> bool:
        """Whether a failed batch may be an event's fault (else it is simply retried)."""
        return isinstance(error, Exception) and not isinstance(error, RETRIED)

    def take_back(self, manager: Follower) -> None:
        """Reload the parked orders (at most once a second: a cheap query, and the only
        way to see a retry or skip made elsewhere), and handle again each order handed
        back that this manager owns."""
        now = time.monotonic()
        if self._loaded_at is not None and now - self._loaded_at < self.reload_every_s:
            return
        self._loaded_at = now
        rows = self.letters.of_consumer(SAGA)
        self.orders = frozenset(r.order_id for r in rows if r.status == PARKED and r.order_id)
        for letter in rows:
            if letter.status == RETRY and _owned(manager.partition, letter):
                self._redrive(manager, letter)

    def isolate(self, manager: Follower) -> int:
        """Handle the events after the position one at a time, each in a unit of its own,
        and count the first that fails against it; raises unless it was parked."""
        stored, upto = manager.log.stored_batch(
            manager.progress.start(), manager.batch_size, TOPICS, manager.keep
        )
        for notification in stored:
            order_id = order_in(notification)
            if order_id not in self.orders:
                try:
                    manager.in_unit([manager.log.decoded(notification)])
                except Exception as error:
                    if not self._blames(manager, error):
                        raise
                    if not self._count(notification, order_id, error):
                        raise
            manager.commit(notification.id)
        manager.commit(upto)
        return len(stored)

    def _blames(self, manager: Follower, error: Exception) -> bool:
        """Whether the failure is the event's: not a conflict or lost lease, and the stores
        still answer (a store that is down fails every event alike)."""
        if not self.at_fault(error):
            return False
        try:
            manager.log.head()
            manager.progress.state.position(manager.partition.names[0])
        except Exception:
            log.warning("saga %s: its store fails too", manager.partition.name, exc_info=True)
            return False
        return True

    def _count(self, stored: Notification, order_id: str | None, error: Exception) -> bool:
        if not self.strikes.count(stored, error, f" of order {order_id}"):
            return False
        self._park(stored, order_id, error)
        return True

    def _park(self, stored: Notification, order_id: str | None, error: Exception) -> None:
        # Recorded before the position moves: a crash in between parks it again (the same
        # row), never leaves an event skipped without a record.
        letter = self.strikes.letter(SAGA, stored, error, order_id)
        letter_id = self.letters.park(letter)
        if order_id is not None:
            self.orders |= {order_id}
        self.strikes.clear()
        log.error(
            "saga parked order %s at event %s (%s %s v%s) as dead letter %d: %s",
            order_id,
            stored.id,
            stored.topic,
            stored.originator_id,
            stored.originator_version,
            letter_id,
            letter.error,
        )

    def _redrive(self, manager: Follower, letter: DeadLetter) -> None:
        """Replay the parked event and its order's later events; the row goes once they
        went through, else it is parked again with one more attempt."""
        assert letter.id is not None
        try:
            manager.in_unit(replayed(manager, letter))
        except Exception as error:
            if not self._blames(manager, error):
                raise  # the row stays handed back: the next batch tries again
            self.letters.parked_again(letter.id, error, self.clock())
            self.orders |= {letter.order_id} if letter.order_id else set()
            log.warning("saga: order %s failed again: %s", letter.order_id, error_text(error))
            return
        self.letters.resolve(letter.id)
        log.info("saga: order %s handled again from dead letter %d", letter.order_id, letter.id)


def _owned(partition: Partition, letter: DeadLetter) -> bool:
    """The order's owner replays it; an event of no known order, partition 0's owner."""
    if letter.order_id is None:
        return 0 in partition.held
    return partition.owns(letter.order_id)
