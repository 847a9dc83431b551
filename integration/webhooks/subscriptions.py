"""Webhook subscriptions: who wants which event types, at which URL.

A subscription's events are a list of integration event types, or `["*"]` for every type
the contract has now or gains later. Deleting a subscription deletes its secret and its
delivery log with it: nothing more is sent to it, including what was still waiting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from integration.webhooks.tables import DELIVERIES, SECRETS, WEBHOOKS, create_tables

EVERY_TYPE = "*"


class KeyReused(Exception):
    """A creation repeated under the same id with another body."""


@dataclass(frozen=True)
class Subscription:
    webhook_id: str
    url: str
    events: list[str]
    created_at: str

    def wants(self, event_type: str) -> bool:
        return EVERY_TYPE in self.events or event_type in self.events

    def as_json(self) -> dict[str, Any]:
        return {
            "webhook_id": self.webhook_id,
            "url": self.url,
            "events": self.events,
            "created_at": self.created_at,
        }


class Subscriptions:
    """The subscription rows; each call is one short transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create_tables(self) -> None:
        create_tables(self.engine)

    def create(self, webhook_id: str, url: str, events: list[str], secret: str) -> bool:
        """Add the subscription; False if this very one exists already (a repeat).

        Raises `KeyReused` when `webhook_id` names a subscription with another body.
        """
        row = {
            "webhook_id": webhook_id,
            "url": url,
            "events": events,
            "created_at": datetime.now(UTC).isoformat(),
        }
        with self.engine.begin() as conn:
            if self._same(conn, webhook_id, url, events, secret):
                return False
            conn.execute(WEBHOOKS.insert().values(row))
            conn.execute(SECRETS.insert().values(webhook_id=webhook_id, secret=secret))
        return True

    def _same(
        self, conn: sa.Connection, webhook_id: str, url: str, events: list[str], secret: str
    ) -> bool:
        query = sa.select(WEBHOOKS.c.url, WEBHOOKS.c.events, SECRETS.c.secret).join(
            SECRETS, SECRETS.c.webhook_id == WEBHOOKS.c.webhook_id
        )
        found = conn.execute(query.where(WEBHOOKS.c.webhook_id == webhook_id)).first()
        if found is None:
            return False
        if (found.url, list(found.events), found.secret) != (url, events, secret):
            raise KeyReused(webhook_id)
        return True

    def listed(self) -> list[Subscription]:
        """Every subscription, oldest first, read from `shop_webhooks` only (no secret)."""
        query = sa.select(WEBHOOKS).order_by(WEBHOOKS.c.created_at, WEBHOOKS.c.webhook_id)
        with self.engine.connect() as conn:
            return [_subscription(row) for row in conn.execute(query)]

    def exists(self, webhook_id: str) -> bool:
        query = sa.select(WEBHOOKS.c.webhook_id).where(WEBHOOKS.c.webhook_id == webhook_id)
        with self.engine.connect() as conn:
            return conn.execute(query).first() is not None

    def delete(self, webhook_id: str) -> bool:
        """Remove the subscription, its secret and its deliveries; False if unknown."""
        with self.engine.begin() as conn:
            gone = conn.execute(WEBHOOKS.delete().where(WEBHOOKS.c.webhook_id == webhook_id))
            conn.execute(SECRETS.delete().where(SECRETS.c.webhook_id == webhook_id))
            conn.execute(DELIVERIES.delete().where(DELIVERIES.c.webhook_id == webhook_id))
        return bool(gone.rowcount)

    def targets(self) -> dict[str, tuple[str, str]]:
        """Each subscription's URL and signing key, for the sender only."""
        query = sa.select(WEBHOOKS.c.webhook_id, WEBHOOKS.c.url, SECRETS.c.secret).join(
            SECRETS, SECRETS.c.webhook_id == WEBHOOKS.c.webhook_id
        )
        with self.engine.connect() as conn:
            return {row.webhook_id: (row.url, row.secret) for row in conn.execute(query)}


def _subscription(row: Any) -> Subscription:
    return Subscription(row.webhook_id, row.url, list(row.events), row.created_at)
