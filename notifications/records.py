"""Delivery records of customer messages (`shop_notifications`, in the database beside the
events), written in the same transaction as the notifier's checkpoint and lease check.

Times are epoch seconds (floats), like the saga's deadlines: portable and comparable on
SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    inspect,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from commands.process_managers.state import SagaState
from eventstore.fencing import Lease
from eventstore.leases import require_held

PENDING, SENDING, SENT, FAILED, DEAD, SKIPPED = (
    "PENDING",
    "SENDING",
    "SENT",
    "FAILED",
    "DEAD",
    "SKIPPED",
)
metadata = MetaData()
NOTIFICATIONS = Table(
    "shop_notifications",
    metadata,
    Column("notification_id", String(36), primary_key=True),
    Column("customer_id", String(200), nullable=False),
    Column("order_id", String(36), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("recipient", String(254)),  # in clear: rows recorded before recipients were sealed
    Column("sealed_recipient", Text),  # the recipient sealed under the customer's key
    Column("subject", Text, nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", Float),
    Column("created_at", Float, nullable=False),
    Column("sent_at", Float),
    Column("last_error", Text),
    Index("ix_shop_notifications_due", "status", "next_attempt_at"),
    Index("ix_shop_notifications_customer", "customer_id", "created_at"),
)
LISTED = ("notification_id", "kind", "order_id", "channel", "status", "attempts")


@dataclass(frozen=True)
class Due:
    """A message to send now: what the sender needs, and the attempt it will be."""

    notification_id: str
    customer_id: str
    recipient: str | None  # in clear (older rows)
    sealed_recipient: str | None  # JSON of the sealed envelope (`eventstore.sealing`)
    subject: str
    text_body: str
    html_body: str
    attempts: int


class NotificationRecords:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.state = SagaState(engine)  # the notifier's checkpoint is a saga checkpoint row

    def create_tables(self) -> None:
        self.state.create_tables()
        metadata.create_all(self.engine)
        with self.engine.begin() as conn:  # a table made before recipients were sealed
            columns = {c["name"] for c in inspect(conn).get_columns(NOTIFICATIONS.name)}
            if "sealed_recipient" not in columns:
                conn.execute(
                    text(f"ALTER TABLE {NOTIFICATIONS.name} ADD COLUMN sealed_recipient TEXT")
                )

    def checkpoint(self, name: str) -> int:
        return self.state.checkpoint(name)

    def forget_position(self, name: str) -> None:
        self.state.forget_position(name)

    def record(
        self, rows: Sequence[dict[str, Any]], name: str, position: int, leases: Iterable[Lease]
    ) -> None:
        """Insert the new messages (an id already there is left alone: a replay adds
        nothing) and move the checkpoint, in one transaction, only under `leases`."""
        with self.engine.begin() as conn:
            if rows:
                dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
                insert = dialect.insert(NOTIFICATIONS)
                # The rows as parameters, not as VALUES: a statement whose VALUES list
                # has the batch's length is compiled anew for every batch (a tenth of
                # the integration worker's time under load); this one is compiled once.
                new = insert.on_conflict_do_nothing(index_elements=["notification_id"])
                conn.execute(new, list(rows))
            self.state._advance(conn, name, position)  # the saga's own upsert, reused
            require_held(conn, leases)  # last: the writes above hold the lock (SQLite)

    def due(self, now: float, limit: int = 50) -> list[Due]:
        """Messages to try now: new, failed and waiting out their backoff, or claimed by a
        sender that never reported back (see `notifications` on what that means)."""
        table = NOTIFICATIONS
        query = (
            select(table)
            .where(table.c.status.in_([PENDING, FAILED, SENDING]))
            .where(or_(table.c.next_attempt_at.is_(None), table.c.next_attempt_at <= now))
            .order_by(table.c.created_at)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            Due(
                r["notification_id"],
                r["customer_id"],
                r["recipient"],
                r["sealed_recipient"],
                r["subject"],
                r["text_body"],
                r["html_body"],
                r["attempts"],
            )  # fmt: skip
            for r in rows
        ]

    def claim(self, due: Due, now: float, until: float, leases: Iterable[Lease]) -> bool:
        """Mark `due` SENDING (one more attempt) before it leaves; False if someone else
        changed it first. Durable before the SMTP transaction starts."""
        changes = {"status": SENDING, "attempts": due.attempts + 1, "next_attempt_at": until}
        return self._move(due.notification_id, due.attempts, changes, leases)

    def sent(self, due: Due, now: float, leases: Iterable[Lease] = ()) -> None:
        changes = {"status": SENT, "sent_at": now, "next_attempt_at": None, "last_error": None}
        self._move(due.notification_id, due.attempts + 1, changes, leases)

    def failed(
        self, due: Due, error: str, retry_at: float | None, leases: Iterable[Lease] = ()
    ) -> None:
        """One attempt failed: try again at `retry_at`, or never (None: DEAD)."""
        status = DEAD if retry_at is None else FAILED
        changes = {"status": status, "next_attempt_at": retry_at, "last_error": error[:2000]}
        self._move(due.notification_id, due.attempts + 1, changes, leases)

    def _move(
        self, notification_id: str, attempts: int, changes: dict[str, Any], leases: Iterable[Lease]
    ) -> bool:
        table = NOTIFICATIONS
        with self.engine.begin() as conn:
            moved = conn.execute(
                update(table)
                .where(table.c.notification_id == notification_id)
                .where(table.c.attempts == attempts)  # a compare-and-set on the attempt
                .where(table.c.status.not_in([SENT, SKIPPED]))
                .values(**changes)
            ).rowcount
            require_held(conn, leases)
        return bool(moved)

    def skip(self, due: Due, leases: Iterable[Lease] = ()) -> None:
        """Nowhere to send it after all (its customer was erased before it left); called
        on a claimed message, like `sent`."""
        changes = {"status": SKIPPED, "next_attempt_at": None}
        self._move(due.notification_id, due.attempts + 1, changes, leases)

    def forget_customer(self, customer_id: str) -> list[str]:
        """An erased customer's recipients dropped, their unsent messages SKIPPED; the ids
        of every message of theirs (for the sender to forget its copies)."""
        table = NOTIFICATIONS
        theirs = table.c.customer_id == customer_id
        with self.engine.begin() as conn:
            ids = list(conn.execute(select(table.c.notification_id).where(theirs)).scalars())
            conn.execute(update(table).where(theirs).values(recipient=None, sealed_recipient=None))
            unsent = theirs & table.c.status.not_in([SENT, DEAD, SKIPPED])
            conn.execute(update(table).where(unsent).values(status=SKIPPED, next_attempt_at=None))
        return ids

    def retry(self, notification_id: str, now: float) -> str | None:
        """An admin's retry: a FAILED or DEAD message gets a fresh round of attempts now.
        Returns its status before (None: no such message); others are left alone."""
        table = NOTIFICATIONS
        with self.engine.begin() as conn:
            status = conn.execute(
                select(table.c.status).where(table.c.notification_id == notification_id)
            ).scalar()
            if status in (FAILED, DEAD):
                conn.execute(
                    update(table)
                    .where(table.c.notification_id == notification_id)
                    .values(status=PENDING, attempts=0, next_attempt_at=now, last_error=None)
                )
        return status

    def of_customer(self, customer_id: str, limit: int = 100) -> tuple[int, list[dict[str, Any]]]:
        """A customer's messages, newest first, and how many there are."""
        table = NOTIFICATIONS
        mine = table.c.customer_id == customer_id
        columns = [table.c[name] for name in LISTED] + [table.c.created_at, table.c.sent_at]
        query = select(*columns).where(mine).order_by(table.c.created_at.desc()).limit(limit)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(table).where(mine)).scalar()
            rows = [dict(row) for row in conn.execute(query).mappings()]
        return int(total or 0), rows
