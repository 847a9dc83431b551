"""One read of the log for every projection of a worker: the newest stored events are
read once, each decoded at most once, and every projection at or near the head takes its
share from them (its own events past its own position).

The tail follows the furthest projection: whoever reaches its end reads the next batch
for all (every topic one of them follows), and it keeps the events a slower one still
needs, the furthest waiting once it leads by `KEEP_BATCHES`. A projection behind the tail
(just acquired, rebuilt, or back from a long failure) reads on its own until it reaches
the tail, and one that stops asking (hung, failing, not fed) holds nobody back for long.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification

from eventstore.log import Batch, EventLog, Logged

KEEP_BATCHES = 10  # at most this many batches behind the newest (memory)
GONE_S = 2.0  # a projection that has not asked for that long holds nobody back


@dataclass(frozen=True)
class Undecodable:
    error: Exception


def wanted_topics(log_: EventLog, topics: Sequence[str]) -> frozenset[str]:
    return frozenset(topics) if topics else log_.known_topics


class SharedTail:
    """The newest stored events of the topics in `topics`, covering (start, upto]."""

    def __init__(
        self,
        log_: EventLog,
        wanted: Mapping[str, frozenset[str]],
        batch_size: int,
    ) -> None:
        self.log = log_
        self.topics = sorted(frozenset().union(*wanted.values()))
        self.batch_size = batch_size
        self.keep = KEEP_BATCHES * batch_size
        self.reads = 0  # batches read from the store
        self._stored: list[Notification] = []
        self._decoded: dict[int, Any] = {}
        self._start: int | None = None  # None: no projection asked yet
        self._upto = 0
        self._lock = threading.Lock()
        # Where each projection the tail serves last asked from (None: not yet), and when.
        self._asked: dict[str, tuple[int | None, float]] = {
            name: (None, time.monotonic()) for name in wanted
        }

    def batch(self, name: str, after: int, wanted: frozenset[str]) -> Batch | None:
        """The batch of `wanted` after `after`, or None when `after` is behind the tail.

        Raises the decode error of an event that does not decode, for the projections
        that want it only: the others go on, and the guard isolates it for each of them.
        """
        with self._lock:
            if self._start is None or after > self._upto:
                self._start, self._upto, self._stored = after, after, []  # the new furthest
                self._decoded.clear()
            if after < self._start:
                self._asked.pop(name, None)
                return None
            self._asked[name] = (after, time.monotonic())
            if after == self._upto:
                if self._needed() + self.batch_size > self.keep:
                    return Batch([], after)  # far enough ahead: let the slowest come closer
                self._extend()
            picked = [n for n in self._stored if n.id > after and n.topic in wanted]
            upto = self._upto
            if len(picked) > self.batch_size:
                picked, upto = picked[: self.batch_size], picked[self.batch_size - 1].id
            return Batch([Logged(n.id, self._event(n)) for n in picked], upto)

    def _extend(self) -> None:
        stored, upto = self.log.stored_batch(self._upto, self.batch_size, self.topics)
        self.reads += 1
        self._stored.extend(stored)
        self._upto = max(self._upto, upto)
        drop = len(self._stored) - self._needed()  # what every projection still here has
        drop = max(drop, len(self._stored) - self.keep)
        if drop:
            dropped, self._stored = self._stored[:drop], self._stored[drop:]
            self._start = dropped[-1].id
            for stored_event in dropped:
                self._decoded.pop(stored_event.id, None)

    def _needed(self) -> int:
        """How many of the events held the slowest projection still here has yet to take
        (one that has not asked for `GONE_S`, hung or not fed, is no longer here)."""
        now, slowest = time.monotonic(), self._upto
        for position, asked_at in self._asked.values():
            if now - asked_at < GONE_S:
                slowest = min(slowest, (self._start or 0) if position is None else position)
        return sum(1 for n in self._stored if n.id > slowest)

    def _event(self, stored: Notification) -> Any:
        if stored.id not in self._decoded:
            try:
                self._decoded[stored.id] = self.log.decoded(stored)
            except Exception as error:  # poison for those who want it, nothing to the others
                self._decoded[stored.id] = Undecodable(error)
        event = self._decoded[stored.id]
        if isinstance(event, Undecodable):
            raise event.error.with_traceback(None)  # raised again for each: no growing trace
        return event
