"""Fencing: a lease holder's appends commit only while it still holds the lease.

The worker wraps what it does for its units in `fenced(*leases)`. Every append made in
that context checks each lease row (`eventstore.leases`) inside the append's own transaction:
on PostgreSQL first, with `FOR SHARE`, so a takeover waits for the append to commit; on
SQLite after the inserts, which hold the database's one write lock, so no takeover can
commit in between. A holder whose lease was taken over gets `LeaseLost` and nothing of
the append is stored.

The same lease guards what a transaction cannot: before a request leaves for the payment
provider, the worker makes sure the lease is still valid by this process's own
clock, with a safety margin before the expiry the database will enforce
(`check_leases`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder

from eventstore.heads import POSTGRES_MAX_AGE_S, CachedHead, PostgresAppends
from eventstore.polling import PollingSQLiteApplicationRecorder


class LeaseLost(Exception):
    """This worker no longer holds the lease it acted under; what it was doing is void."""


@dataclass
class Lease:
    """A lease held at `epoch`, valid by this process's monotonic clock until `valid_until`."""

    name: str
    holder: str
    epoch: int
    valid_until: float
    handover: bool = field(default=False)  # another live worker should have it: give it up

    def valid(self) -> bool:
        return time.monotonic() < self.valid_until


_current: ContextVar[tuple[Lease, ...]] = ContextVar("shop_leases", default=())


@contextmanager
def fenced(*leases: Lease) -> Iterator[None]:
    token = _current.set(leases)
    try:
        yield
    finally:
        _current.reset(token)


def current_leases() -> tuple[Lease, ...]:
    return _current.get()


def check_leases(leases: tuple[Lease, ...]) -> None:
    """Raise `LeaseLost` if one of `leases` has run out by this process's clock."""
    for lease in leases:
        if not lease.valid():
            raise LeaseLost(f"lease {lease.name} (epoch {lease.epoch}) has run out")


def _refuse(lease: Lease) -> None:
    raise LeaseLost(f"lease {lease.name} (epoch {lease.epoch}) was taken over")


class FencedSQLiteRecorder(PollingSQLiteApplicationRecorder):
    """SQLite: the lease table is in the events file, checked under the write lock."""

    FENCE = (
        "SELECT 1 FROM shop_leases WHERE name = ? AND holder = ? AND epoch = ?"
        " AND expires_at > (julianday('now') - 2440587.5) * 86400.0"
    )

    def _insert_events(
        self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        for lease in _current.get():
            c.execute(self.FENCE, (lease.name, lease.holder, lease.epoch))
            if c.fetchone() is None:
                _refuse(lease)
        return ids


class FencedPostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL: the lease row is read `FOR SHARE` first, so a takeover waits for us.
    The library notifies the events table's channel with each append; the head is read
    again only after one (`eventstore.heads`)."""

    def __init__(self, datastore: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(datastore, *args, **kwargs)
        appends = PostgresAppends(dict(datastore.pool.kwargs), self.channel_name)
        self._head = CachedHead(appends.sign, POSTGRES_MAX_AGE_S, appends.close)

    def max_notification_id(self) -> int | None:
        return self._head.get(super().max_notification_id)

    def close_head(self) -> None:
        self._head.close()

    def _insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> None:
        table = f'"{self.datastore.schema}".shop_leases'
        for lease in _current.get():
            curs.execute(
                f"SELECT 1 FROM {table} WHERE name = %s AND holder = %s AND epoch = %s"  # noqa: S608 - the schema is ours
                " AND expires_at > extract(epoch from clock_timestamp()) FOR SHARE",
                (lease.name, lease.holder, lease.epoch),
            )
            if curs.fetchone() is None:
                _refuse(lease)
        super()._insert_events(curs, stored_events, **kwargs)
