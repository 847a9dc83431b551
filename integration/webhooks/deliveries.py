"""The delivery log: one row per (subscription, event), from PENDING to SENT or DEAD.

Ordering rule: per subscription, strictly in outbox order. Only a subscription's earliest
waiting delivery (PENDING or FAILED) is ever sent, so its events arrive in the order the
outbox holds them, which keeps every order's and every sku's events in order. A DEAD
delivery stops holding the queue (the endpoint gets the rest); an admin's retry makes it
the earliest waiting one again, so it goes out before anything newer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from integration.webhooks.tables import DEAD, DELIVERIES, FAILED, PENDING, SENT, WAITING

ERROR_CHARS = 500


@dataclass(frozen=True)
class Delivery:
    delivery_id: int
    webhook_id: str
    event_id: str
    type: str
    body: str
    attempts: int


class Deliveries:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._dialect = postgresql if engine.dialect.name == "postgresql" else sqlite

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Queue deliveries; one already queued for its (subscription, event) is kept."""
        if rows:
            rows = [row | {"status": PENDING, "attempts": 0} for row in rows]
            insert = self._dialect.insert(DELIVERIES).on_conflict_do_nothing()
            with self.engine.begin() as conn:
                conn.execute(insert, rows)

    def due(self, now: float, busy: set[str]) -> list[Delivery]:
        """The head of each subscription's queue, if its time has come (not of `busy` ones)."""
        waiting = DELIVERIES.c.status.in_(WAITING)
        heads = (
            sa.select(DELIVERIES.c.webhook_id, sa.func.min(DELIVERIES.c.seq).label("seq"))
            .where(waiting)
            .group_by(DELIVERIES.c.webhook_id)
            .subquery()
        )
        query = (
            sa.select(DELIVERIES)
            .join(
                heads,
                (heads.c.webhook_id == DELIVERIES.c.webhook_id) & (heads.c.seq == DELIVERIES.c.seq),
            )
            .where(waiting, DELIVERIES.c.next_attempt_at <= now)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_delivery(row) for row in rows if row.webhook_id not in busy]

    def settle(
        self,
        delivery: Delivery,
        code: int | None,
        error: str | None,
        retry_at: float | None,
        dead: bool,
    ) -> None:
        """Record one attempt's outcome, unless the row changed meanwhile (an admin's
        retry reset it, or the subscription was deleted): then this outcome is void."""
        if error is None:
            values: dict[str, Any] = {"status": SENT, "next_attempt_at": None}
        else:
            status = DEAD if dead else FAILED
            values = {"status": status, "next_attempt_at": None if dead else retry_at}
        values |= {
            "attempts": delivery.attempts + 1,
            "last_status_code": code,
            "last_error": None if error is None else error[:ERROR_CHARS],
        }
        row = DELIVERIES.c.delivery_id == delivery.delivery_id
        unchanged = DELIVERIES.c.attempts == delivery.attempts
        with self.engine.begin() as conn:
            conn.execute(DELIVERIES.update().where(row, unchanged).values(values))

    def listed(self, webhook_id: str, status: str | None) -> tuple[int, list[dict[str, Any]]]:
        """A subscription's deliveries, newest first, and their count."""
        where = [DELIVERIES.c.webhook_id == webhook_id]
        if status is not None:
            where.append(DELIVERIES.c.status == status)
        columns = [c for c in DELIVERIES.c if c.name not in ("body", "webhook_id", "seq")]
        query = sa.select(*columns).where(*where).order_by(DELIVERIES.c.seq.desc())
        with self.engine.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        return len(rows), rows

    def retry(self, webhook_id: str, delivery_id: int, now: float) -> str | None:
        """Send a FAILED or DEAD delivery again now, with a fresh round of attempts.

        Returns the status it had (None if unknown); only FAILED and DEAD change.
        """
        row = (DELIVERIES.c.webhook_id == webhook_id) & (DELIVERIES.c.delivery_id == delivery_id)
        with self.engine.begin() as conn:
            status = conn.execute(sa.select(DELIVERIES.c.status).where(row)).scalar()
            if status in (FAILED, DEAD):
                values = {"status": PENDING, "attempts": 0, "next_attempt_at": now}
                conn.execute(DELIVERIES.update().where(row).values(values))
        return status


def _delivery(row: Any) -> Delivery:
    return Delivery(row.delivery_id, row.webhook_id, row.event_id, row.type, row.body, row.attempts)
