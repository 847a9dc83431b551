"""One bad event never stops the relay: after `max_attempts` failures in a row it is
parked as an `integration` dead letter and the relay goes on past it.

Only that event waits, not its order's later ones: the public events are facts, each
meaningful alone, and holding an order's stream back would hold its stock and product
events (other keys) with it. `shop dead-letters retry` marks the row; the relay then maps
the event again and appends it (after whatever was published since: per-order order is
broken for that one event, which its `occurred_at` still tells).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from eventstore.dead_letters import PARKED, RETRY, DeadLetters, Strikes
from eventstore.log import EventLog

log = logging.getLogger(__name__)
INTEGRATION = "integration"  # the consumer name of the relay's dead letters
RELOAD_EVERY_S = 1.0


class RelayParking:
    def __init__(
        self, letters: DeadLetters, max_attempts: int, clock: Callable[[], datetime]
    ) -> None:
        self.letters, self.max_attempts, self.clock = letters, max_attempts, clock
        self.strikes = Strikes("integration relay", max_attempts, clock)
        self._loaded_at: float | None = None

    def count(self, stored: Any, error: Exception) -> None:
        """Count a failure against `stored`; raise `error` again unless it is now parked."""
        if not self.strikes.count(stored, error):
            raise error
        letter_id = self.letters.park(self.strikes.letter(INTEGRATION, stored, error))
        self.strikes.clear()
        log.error("integration relay parked event %s as dead letter %d", stored.id, letter_id)

    def take_back(self, event_log: EventLog, redo: Callable[[Any, int], None]) -> None:
        """Redo (at most once a second) the parked events an operator handed back."""
        now = time.monotonic()
        if self._loaded_at is not None and now - self._loaded_at < RELOAD_EVERY_S:
            return
        self._loaded_at = now
        for letter in self.letters.of_consumer(INTEGRATION):
            if letter.status != RETRY or letter.id is None:
                continue
            try:
                redo(event_log.stored_at(letter.position), letter.position)
            except Exception as error:
                self.letters.parked_again(letter.id, error, self.clock())
                continue
            self.letters.resolve(letter.id)


__all__ = ["INTEGRATION", "PARKED", "RelayParking"]
