"""Leases: which worker process owns each unit of work (a saga partition, a projection).

One row per unit in `shop_leases`, beside the events (the PostgreSQL schema, or the
SQLite events file), with the holder, an epoch and an expiry on the database's clock.
Taking a lease that expired (or was released) bumps the epoch; renewing keeps it. A
holder's writes carry its lease (`eventstore.fencing`) and are checked against the row in
the same transaction, so a holder that stalled past its expiry and lost the lease to
another worker can no longer commit anything: its epoch is gone.

`shop_workers` lists the live workers of each group (a heartbeat with the same expiry),
so every worker can compute the same fair share of the units (`eventstore.lease_keeper`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from eventstore.fencing import Lease, LeaseLost

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE when lock_timeout ran out
metadata = sa.MetaData()
LEASES = sa.Table(
    "shop_leases",
    metadata,
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("holder", sa.String(200), nullable=False, server_default=""),
    sa.Column("epoch", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("expires_at", sa.Float, nullable=False, server_default="0"),  # epoch seconds
)
WORKERS = sa.Table(
    "shop_workers",
    metadata,
    sa.Column("worker", sa.String(200), primary_key=True),
    sa.Column("grp", sa.String(100), nullable=False),
    sa.Column("expires_at", sa.Float, nullable=False),
)


def db_now(dialect: str) -> Any:
    """The database's clock in epoch seconds: one clock for workers on many machines."""
    if dialect == "postgresql":
        return sa.func.extract("epoch", sa.func.clock_timestamp())
    return (sa.func.julianday("now") - 2440587.5) * 86400.0


def require_held(conn: sa.Connection, leases: Iterable[Lease]) -> None:
    """Raise `LeaseLost` unless every one of `leases` is still held, inside the caller's
    transaction. Call it after the writes: on SQLite they hold the one write lock by then,
    and on PostgreSQL `FOR SHARE` makes a takeover wait for this transaction to end."""
    for lease in leases:
        held = sa.select(LEASES.c.epoch).where(
            LEASES.c.name == lease.name,
            LEASES.c.holder == lease.holder,
            LEASES.c.epoch == lease.epoch,
            LEASES.c.expires_at > db_now(conn.dialect.name),
        )
        if conn.execute(held.with_for_update(read=True)).first() is None:
            raise LeaseLost(f"lease {lease.name} (epoch {lease.epoch}) was taken over")


def ending_stalled_transactions(url: sa.URL, after_s: float) -> sa.URL:
    """A PostgreSQL URL whose sessions have the server end a transaction left idle `after_s`
    (added to the URL's own `options`, which a connect argument would replace).

    A worker stopped (SIGSTOP, a paused VM) inside a fenced transaction keeps its lease
    row locked `FOR SHARE` (`require_held`), and no other worker could take the lease over
    until it woke up. With this, the server rolls that transaction back and drops the
    connection one lease time after the stall: a takeover waits no longer than for a dead
    worker, and the sleeper wakes to find its work undone and its lease gone.
    """
    return with_session_option(url, f"-cidle_in_transaction_session_timeout={int(after_s * 1000)}")


def with_session_option(url: sa.URL, option: str) -> sa.URL:
    """`url` with `option` (`-cname=value`) added to its own `options` query parameter:
    a connect argument of that name would replace those the URL already carries."""
    given = url.query.get("options", "")
    given = " ".join(given) if isinstance(given, tuple) else given
    return url.update_query_dict({"options": f"{given} {option}".strip()})


class LeaseTable:
    """The lease and heartbeat rows, one short transaction per call."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.now = db_now(engine.dialect.name)

    def create_tables(self) -> None:
        metadata.create_all(self.engine)

    def ensure(self, names: list[str]) -> None:
        """Create the rows of `names` that are missing (free, epoch 0); racing callers agree."""
        rows = [{"name": name} for name in names]
        with self.engine.begin() as conn:
            conn.execute(self._insert(LEASES).on_conflict_do_nothing(), rows)

    def acquire(self, name: str, holder: str, ttl_s: float, unowned_s: float = 0) -> int | None:
        """Take `name` if it is free, expired or held under this holder's id by a process
        that is gone (see `worker_id`): the new epoch, or None if someone else holds it.

        `unowned_s`: take it only once it has been free or expired that long (a unit
        assigned to another worker, left unowned all the same).

        On PostgreSQL the row may be locked by a holder's fenced transaction: this waits
        a tenth of `ttl_s` for it, then answers None (held) and the caller tries again at
        its next tick, instead of hanging there while its own leases run out.
        """
        free = (
            [LEASES.c.expires_at <= self.now - unowned_s]
            if unowned_s
            else [LEASES.c.expires_at <= self.now, LEASES.c.holder == "", LEASES.c.holder == holder]
        )
        taken = (
            LEASES.update()
            .where(LEASES.c.name == name)
            .where(sa.or_(*free))
            .values(holder=holder, epoch=LEASES.c.epoch + 1, expires_at=self.now + ttl_s)
            .returning(LEASES.c.epoch)
        )
        try:
            with self.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    wait_ms = int(ttl_s * 100)
                    conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{wait_ms}ms'")
                return conn.execute(taken).scalar()
        except sa.exc.OperationalError as error:
            if getattr(error.orig, "sqlstate", None) == LOCK_NOT_AVAILABLE:
                return None
            raise

    def renew(self, name: str, holder: str, epoch: int, ttl_s: float) -> bool:
        """Extend a lease still held at `epoch` (expired but not taken counts as held)."""
        with self.engine.begin() as conn:
            renewed = conn.execute(
                self._held(name, holder, epoch).values(expires_at=self.now + ttl_s)
            )
            return renewed.rowcount == 1

    def release(self, name: str, holder: str, epoch: int) -> None:
        """Give the lease up at once, so the next owner need not wait for it to expire
        (the time of release stays, so the others leave it to that owner for a while)."""
        with self.engine.begin() as conn:
            conn.execute(self._held(name, holder, epoch).values(holder="", expires_at=self.now))

    def heartbeat(self, worker: str, group: str, ttl_s: float) -> None:
        values = {"worker": worker, "grp": group, "expires_at": self.now + ttl_s}
        upsert = self._insert(WORKERS).values(values)
        upsert = upsert.on_conflict_do_update(
            index_elements=[WORKERS.c.worker], set_={"expires_at": upsert.excluded.expires_at}
        )
        with self.engine.begin() as conn:
            conn.execute(upsert)

    def leave(self, worker: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(WORKERS.delete().where(WORKERS.c.worker == worker))

    def live_workers(self, group: str) -> list[str]:
        query = (
            sa.select(WORKERS.c.worker)
            .where(WORKERS.c.grp == group, WORKERS.c.expires_at > self.now)
            .order_by(WORKERS.c.worker)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def rows(self, prefix: str = "") -> list[dict[str, Any]]:
        """Every lease (under `prefix`) with its seconds left, for the ops page."""
        left = (LEASES.c.expires_at - self.now).label("seconds_left")
        query = sa.select(LEASES.c.name, LEASES.c.holder, LEASES.c.epoch, left)
        query = query.where(LEASES.c.name.startswith(prefix)).order_by(LEASES.c.name)
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(LEASES.name):  # no worker ever ran here
                return []
            return [dict(row._mapping) for row in conn.execute(query)]

    def _held(self, name: str, holder: str, epoch: int) -> Any:
        return LEASES.update().where(
            LEASES.c.name == name, LEASES.c.holder == holder, LEASES.c.epoch == epoch
        )

    def _insert(self, table: sa.Table) -> Any:
        dialect = postgresql if self.engine.dialect.name == "postgresql" else sqlite
        return dialect.insert(table)
