"""Following the log: one batched reader that works the same on SQLite, PostgreSQL and ESDB.

Projectors and the saga read events in batches from their own position. Every backend
answers `select_notifications(after, limit, topics)` in commit order, so polling it is
correct everywhere; writers in the same process wake followers at once, so the embedded
service does not pay the poll interval. Followers decode the shop's own topics only
(`eventstore.topics`): a foreign event in a shared KurrentDB is skipped, not poison.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import Notification

from eventstore.application import ShopStore
from eventstore.backwards import last_notifications
from eventstore.topics import shop_topics

COUNT_PAGE = 1000


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
    """The log as followers see it: the shop's events only, never past `stop` or `limit`.

    Positions are opaque ordered tokens: compared, stored and handed back, never added to
    or subtracted from (on KurrentDB they are byte offsets, and a read must start at one
    that exists). Counting events is the only way to say how far apart two are.
    """

    def __init__(
        self,
        store: ShopStore,
        poll_interval_s: float = 0.02,
        known_topics: Collection[str] | None = None,
    ) -> None:
        self.store = store
        self.poll_interval_s = poll_interval_s
        self.known_topics = frozenset(shop_topics() if known_topics is None else known_topics)

    def head(self) -> int:
        return self.store.head()

    def read(
        self, after: int, limit: int = 500, topics: Sequence[str] = (), stop: int | None = None
    ) -> list[Logged]:
        """Up to `limit` events after position `after` (and at most `stop`), oldest first."""
        wanted = self._wanted(topics)
        return self._decode(self._scan(after, limit, wanted, stop), wanted)

    def read_batch(
        self,
        after: int,
        limit: int = 500,
        topics: Sequence[str] = (),
        keep: Callable[[Notification], bool] | None = None,
    ) -> Batch:
        """The next batch for a follower of `topics`, with how far it may move its position.

        `keep` skips stored events before they are decoded (what another saga partition
        owns): the position still moves past them.
        """
        scanned, upto = self.stored_batch(after, limit, topics, keep)
        return Batch(self._decode(scanned, self._wanted(topics)), upto)

    def stored_batch(
        self,
        after: int,
        limit: int = 500,
        topics: Sequence[str] = (),
        keep: Callable[[Notification], bool] | None = None,
    ) -> tuple[list[Notification], int]:
        """`read_batch` undecoded: the stored events of `topics`, and how far it scanned
        (a follower that must tell a malformed event from the rest decodes each itself)."""
        head = self.head()
        if head <= after:
            return [], after
        wanted = self._wanted(topics)
        scanned = self._scan(after, limit, wanted, stop=head)
        # Everything up to `head` had committed when we read it (commit order is
        # position order on every backend), so a short batch has scanned up to head.
        upto = scanned[-1].id if len(scanned) == limit else head
        if keep is not None:
            scanned = [n for n in scanned if keep(n)]
        return [n for n in scanned if n.topic in wanted], upto

    def stored_at(self, position: int) -> Notification:
        """The stored event at `position` (one the log handed out), undecoded; LookupError
        when there is none (a dead letter's row naming a position the log never had)."""
        found = self.store.recorder.select_notifications(
            start=position, limit=1, inclusive_of_start=True
        )
        if not found or found[0].id != position:
            raise LookupError(f"the log has no event at position {position}")
        return found[0]

    def decoded(self, stored: Notification) -> Any:
        """The domain event of one stored event (raises when it does not decode)."""
        return self.store.mapper.to_domain_event(stored)

    def recent(self, limit: int) -> list[Logged]:
        """The newest `limit` events of the shop, newest first (read backwards)."""
        found = last_notifications(self.store.recorder, limit, sorted(self.known_topics))
        return self._decode(found, self.known_topics)

    def count(self, after: int, upto: int, cap: int | None = None) -> int:
        """The shop's events after `after` up to `upto` (at most `cap`): "events behind"."""
        counted, position = 0, after
        while position < upto and (cap is None or counted < cap):
            page = COUNT_PAGE if cap is None else min(COUNT_PAGE, cap - counted)
            scanned = self._scan(position, page, self.known_topics, stop=upto)
            counted += sum(1 for n in scanned if n.topic in self.known_topics)
            if len(scanned) < page:
                break
            position = scanned[-1].id
        return counted

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

    def _wanted(self, topics: Sequence[str]) -> frozenset[str]:
        return frozenset(topics) if topics else self.known_topics

    def _scan(
        self, after: int, limit: int, wanted: frozenset[str], stop: int | None
    ) -> list[Notification]:
        """What the store returns after `after`, trimmed to `stop` and `limit`.

        The KurrentDB recorder returns one event past `stop` (it appends, then tests the
        bound); a follower that applied it would store an earlier position and apply it
        again with the next batch. Its topic filter is a regex whose middle alternatives
        match anywhere in a type, so the caller still checks each topic (`_decode`).
        """
        notifications = self.store.recorder.select_notifications(
            start=after, limit=limit, stop=stop, topics=sorted(wanted), inclusive_of_start=False
        )
        return [n for n in notifications if stop is None or n.id <= stop][:limit]

    def _decode(
        self, notifications: Sequence[Notification], wanted: Collection[str]
    ) -> list[Logged]:
        decode = self.store.mapper.to_domain_event
        return [Logged(n.id, decode(n)) for n in notifications if n.topic in wanted]

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
