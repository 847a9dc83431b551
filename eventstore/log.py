"""Following the log: one batched reader that works the same on SQLite, PostgreSQL and ESDB.

Projectors and the saga read events in batches from their own position. Every backend
answers `select_notifications(after, limit, topics)` in commit order, so polling it is
correct everywhere; writers in the same process wake followers at once, so the embedded
service does not pay the poll interval.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from eventstore.application import ShopStore


@dataclass(frozen=True)
class Logged:
    """One event as the log delivered it: its position and the decoded domain event."""

    position: int
    event: Any

    @property
    def metadata(self) -> dict[str, str]:
        return dict(getattr(self.event, "metadata", None) or {})


@dataclass(frozen=True)
class Batch:
    """Events read in one go, and the position the reader has now fully scanned up to.

    `upto` can be past the last event when a topic filter skipped the rest: a follower
    stores it so that a restart does not re-scan events that were not for it.
    """

    events: list[Logged]
    upto: int


class EventLog:
    def __init__(self, store: ShopStore, poll_interval_s: float = 0.02) -> None:
        self.store = store
        self.poll_interval_s = poll_interval_s

    def head(self) -> int:
        return self.store.head()

    def read(
        self, after: int, limit: int = 500, topics: Sequence[str] = (), stop: int | None = None
    ) -> list[Logged]:
        """Up to `limit` events after position `after` (and at most `stop`), oldest first."""
        notifications = self.store.recorder.select_notifications(
            start=after, limit=limit, stop=stop, topics=topics, inclusive_of_start=False
        )
        decode = self.store.mapper.to_domain_event
        return [Logged(n.id, decode(n)) for n in notifications]

    def read_batch(self, after: int, limit: int = 500, topics: Sequence[str] = ()) -> Batch:
        """The next batch for a follower of `topics`, with how far it may move its position."""
        head = self.head()
        if head <= after:
            return Batch([], after)
        events = self.read(after, limit, topics, stop=head)
        # Everything up to `head` had committed when we read it (commit order is
        # position order on every backend), so a short batch has scanned up to head.
        upto = events[-1].position if len(events) == limit else head
        return Batch(events, upto)

    def follow(
        self,
        after: int,
        topics: Sequence[str] = (),
        batch_size: int = 500,
        stop: threading.Event | None = None,
    ) -> Iterator[Batch]:
        """Yield batches after `after` until `stop` is set; never skips an event."""
        stop = stop or threading.Event()
        position = after
        while not stop.is_set():
            batch = self.read_batch(position, batch_size, topics)
            if batch.upto > position:
                position = batch.upto
                yield batch
            else:
                self._wait_for_append()

    def _wait_for_append(self) -> None:
        self.store.wait_for_append(self.poll_interval_s)


def rest_between_batches(
    store: ShopStore,
    stop: threading.Event,
    worked: bool,
    started: float,
    idle_wait_s: float,
    min_interval_s: float,
) -> None:
    """A follower's rest after a batch that began at `started` (`time.monotonic()`).

    Idle: until this process appends, or `idle_wait_s`. Busy: what is left of
    `min_interval_s`, since a batch costs about the same whatever its size, so a busy log
    makes bigger batches rather than more of them.
    """
    if not worked:
        store.wait_for_append(idle_wait_s)
    elif (rest := min_interval_s - (time.monotonic() - started)) > 0:
        stop.wait(rest)
