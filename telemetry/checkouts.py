"""Checkouts in flight, stuck ones and outcomes by reason, read from the log (not the saga).

The monitor follows only the order facts (placed, confirmed, cancelled) from its own
position, so each call reads just what was appended since the last one. It works in any
process that can read the log: the query API's /ops page and every /metrics endpoint.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from eventsourcing.utils import get_topic

from domain.order import Order
from eventstore.log import EventLog, Logged

READ_BATCH = 2000


def order_topics() -> tuple[str, ...]:
    return tuple(get_topic(kind) for kind in (Order.Placed, Order.Confirmed, Order.Cancelled))


@dataclass(frozen=True)
class InFlight:
    """An order placed and not yet confirmed or cancelled."""

    order_id: str
    customer_id: str
    total: int
    placed_at: datetime
    position: int

    def age_s(self, now: datetime) -> float:
        return max(0.0, (now - self.placed_at).total_seconds())


class CheckoutMonitor:
    """Keeps the pending orders and the count of outcomes, up to date on each `refresh()`."""

    def __init__(self, log: EventLog, clock: Callable[[], datetime]) -> None:
        self.log = log
        self.clock = clock
        self.position = 0
        self.pending: dict[str, InFlight] = {}
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self._topics = order_topics()

    def refresh(self) -> None:
        """Read the order facts appended since the last call."""
        with self._lock:
            while True:
                batch = self.log.read_batch(self.position, READ_BATCH, self._topics)
                for logged in batch.events:
                    self._apply(logged)
                if batch.upto <= self.position:
                    return
                self.position = batch.upto

    def in_flight(self) -> list[InFlight]:
        """Pending orders, oldest first."""
        with self._lock:
            return sorted(self.pending.values(), key=lambda order: order.position)

    def stuck(self, older_than_s: float) -> list[InFlight]:
        now = self.clock()
        return [order for order in self.in_flight() if order.age_s(now) > older_than_s]

    def outcome_counts(self) -> dict[tuple[str, str], int]:
        with self._lock:
            return dict(self.outcomes)

    def _apply(self, logged: Logged) -> None:
        event = logged.event
        stream = str(event.originator_id)
        if isinstance(event, Order.Placed):
            self.pending[stream] = InFlight(
                event.order_id, event.customer_id, event.total, event.timestamp, logged.position
            )
        elif isinstance(event, Order.Confirmed):
            self.pending.pop(stream, None)
            self.outcomes["confirmed", ""] += 1
        elif isinstance(event, Order.Cancelled):
            self.pending.pop(stream, None)
            self.outcomes["cancelled", str(event.reason)] += 1
