"""Where the deliveries to the outside world stand: the outbox, how far each sink is behind
it, and the customer messages and webhook deliveries by status. Read by the ops page and
the metrics alike."""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa

from integration.outbox import Outbox
from integration.webhooks.tables import DELIVERIES
from notifications.records import NOTIFICATIONS

log = logging.getLogger(__name__)
SINKS = ("amqp", "webhooks")  # the outbox's consumers, by cursor name
LOGS = {"notifications": NOTIFICATIONS, "webhook_deliveries": DELIVERIES}


def by_status(engine: sa.Engine, table: sa.Table) -> dict[str, int] | None:
    """Rows of a delivery log by status; None while it does not exist (not migrated)."""
    query = sa.select(table.c.status, sa.func.count()).group_by(table.c.status)
    try:
        with engine.connect() as conn:
            return {str(status): int(n) for status, n in conn.execute(query)}
    except sa.exc.SQLAlchemyError:
        log.warning("%s unavailable", table.name, exc_info=True)
        return None


def delivery_status(engine: sa.Engine) -> dict[str, Any]:
    """`{outbox_head, lag: {sink: events}, notifications: {status: n}, webhook_deliveries:
    {status: n}}`; a sink that never ran counts from the outbox's start."""
    outbox = Outbox(engine)
    head = outbox.head()
    lag = {sink: head - outbox.cursor(sink) for sink in SINKS}
    counts = {name: by_status(engine, table) or {} for name, table in LOGS.items()}
    return {"outbox_head": head, "lag": lag, **counts}
