"""A polling `subscribe()` for SQLite, whose library recorder has none.

SQLite has one writer at a time and assigns rowids inside the write transaction, so
rowid order is commit order: a poller that reads `rowid > last` never passes over an
event that commits later with a lower position.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification, Subscription
from eventsourcing.sqlite import SQLiteApplicationRecorder

from eventstore.heads import CachedHead, SQLiteVersion

POLL_INTERVAL_S = 0.01
BATCH_SIZE = 500


class PollingSubscription(Subscription[ApplicationRecorder]):
    """Iterates notifications after `gt`, polling when it has caught up, until stopped."""

    def __init__(
        self, recorder: ApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()
    ) -> None:
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._buffer: deque[Notification] = deque()

    def __next__(self) -> Notification:
        while not self._buffer:
            if self._has_been_stopped:
                raise StopIteration
            self._buffer = deque(
                self._recorder.select_notifications(
                    start=self._last_notification_id or 0,
                    limit=BATCH_SIZE,
                    topics=self._topics,
                    inclusive_of_start=False,
                )
            )
            if not self._buffer:
                time.sleep(POLL_INTERVAL_S)
        notification = self._buffer.popleft()
        self._last_notification_id = notification.id
        return notification


class PollingSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """The library's recorder with a polling `subscribe()`, a backwards read, and a head
    read again only after a commit (`eventstore.heads`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pool = self.datastore.pool
        if pool.is_sqlite_memory_mode:
            self._head = CachedHead(lambda: None)
        else:
            version = SQLiteVersion(pool.db_name)
            self._head = CachedHead(version.sign, close=version.close)

    def max_notification_id(self) -> int:
        return self._head.get(super().max_notification_id)

    def close_head(self) -> None:
        self._head.close()

    def select_last(self, limit: int, topics: Sequence[str]) -> list[Notification]:
        """Up to `limit` of the newest events whose topic is in `topics`, newest first."""
        marks = ",".join("?" * len(topics))
        statement = (
            f"SELECT rowid, * FROM {self.events_table_name} "
            f"WHERE topic IN ({marks}) ORDER BY rowid DESC LIMIT ?"
        )
        with self.datastore.transaction(commit=False) as cursor:
            cursor.execute(statement, [*topics, limit])
            return [
                Notification(
                    id=row["rowid"],
                    originator_id=self.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                )
                for row in cursor.fetchall()
            ]

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(self, gt=gt, topics=topics)
