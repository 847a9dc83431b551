"""Parked events an operator handed back (`shop dead-letters retry`), taken up again.

The notifier derives a handed-back event's messages again and records them. A message's
id comes from its event, so one recorded before is not recorded twice, and the checkpoint
stays where it is (it moved past the event when it was parked). A retry that fails again
parks the event again, one attempt more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from eventsourcing.persistence import Notification

from eventstore.dead_letters import RETRY, DeadLetters
from eventstore.fencing import current_leases
from eventstore.log import EventLog

RELOAD_EVERY_S = 1.0  # how soon a retry asked elsewhere is taken up: a cheap query


class Consumer(Protocol):
    log: EventLog
    records: Any
    position: int | None

    def rows_of(self, stored: Notification) -> list[dict[str, Any]]: ...


class HandedBack:
    def __init__(self, letters: DeadLetters, name: str, clock: Callable[[], datetime]) -> None:
        self.letters, self.name, self.clock = letters, name, clock
        self._looked_at: float | None = None

    def take_up(self, consumer: Consumer) -> None:
        """Record the messages of every event handed back since the last look."""
        now = time.monotonic()
        if self._looked_at is not None and now - self._looked_at < RELOAD_EVERY_S:
            return
        self._looked_at = now
        for letter in self.letters.of_consumer(self.name):
            if letter.status != RETRY or letter.id is None:
                continue
            try:
                rows = consumer.rows_of(consumer.log.stored_at(letter.position))
                at = consumer.records.checkpoint(self.name)  # unchanged: it only moves on
                consumer.records.record(rows, self.name, at, current_leases())
            except Exception as error:
                self.letters.parked_again(letter.id, error, self.clock())
                continue
            self.letters.resolve(letter.id)
