"""The webhook tables, beside the events (the PostgreSQL schema or the SQLite events file).

A subscription's secret lives in a table of its own, `shop_webhook_secrets`, read only by
the sender (to sign) and by an idempotent repeat of a creation (to compare): the list
query reads `shop_webhooks` alone, so no change to it can leak a secret into an answer.
The secret is kept in clear because signing needs it; the database's own access control
is what guards it, as it guards the events.
"""

from __future__ import annotations

import sqlalchemy as sa

PENDING, SENT, FAILED, DEAD = "PENDING", "SENT", "FAILED", "DEAD"
STATUSES = (PENDING, SENT, FAILED, DEAD)
WAITING = (PENDING, FAILED)  # not yet acknowledged, still to be sent

metadata = sa.MetaData()
WEBHOOKS = sa.Table(
    "shop_webhooks",
    metadata,
    sa.Column("webhook_id", sa.String(64), primary_key=True),
    sa.Column("url", sa.String(2048), nullable=False),
    sa.Column("events", sa.JSON, nullable=False),  # types, or ["*"] for every type
    sa.Column("created_at", sa.String(40), nullable=False),
)
SECRETS = sa.Table(
    "shop_webhook_secrets",
    metadata,
    sa.Column("webhook_id", sa.String(64), primary_key=True),
    sa.Column("secret", sa.String(256), nullable=False),
)
DELIVERIES = sa.Table(
    "shop_webhook_deliveries",
    metadata,
    sa.Column("delivery_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("webhook_id", sa.String(64), nullable=False),
    sa.Column("seq", sa.BigInteger, nullable=False),  # the event's place in the outbox
    sa.Column("event_id", sa.String(64), nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("body", sa.Text, nullable=False),  # the exact bytes every attempt sends
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_status_code", sa.Integer, nullable=True),
    sa.Column("last_error", sa.String(500), nullable=True),
    sa.Column("next_attempt_at", sa.Float, nullable=True),  # unix seconds; None once settled
    sa.UniqueConstraint("webhook_id", "event_id", name="uq_shop_webhook_deliveries_event"),
    sa.Index("ix_shop_webhook_deliveries_queue", "webhook_id", "status", "seq"),
)


def create_tables(engine: sa.Engine) -> None:
    metadata.create_all(engine)
