"""Fan-out: the outbox's new events become one queued delivery per matching subscription.

A subscription receives the events the fan-out reads after it was created (the cursor's
place then), never older ones. Queuing is idempotent on (subscription, event), so a
fan-out that dies between queuing and moving its cursor queues nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from eventstore.fencing import Lease
from integration.outbox import Outbox, OutboxRow
from integration.webhooks.deliveries import Deliveries
from integration.webhooks.subscriptions import Subscription, Subscriptions

CURSOR = "webhooks"


class FanOut:
    def __init__(
        self,
        outbox: Outbox,
        subscriptions: Subscriptions,
        deliveries: Deliveries,
        batch_size: int = 500,
    ) -> None:
        self.outbox, self.subscriptions, self.deliveries = outbox, subscriptions, deliveries
        self.batch_size = batch_size

    def step(self, leases: Sequence[Lease] = ()) -> int:
        """Queue the next batch of events; how many events were read."""
        rows = self.outbox.after(self.outbox.cursor(CURSOR), self.batch_size)
        if not rows:
            return 0
        subscriptions = self.subscriptions.listed()
        now = time.time()
        self.deliveries.add(
            [
                _queued(row, subscription, now)
                for row in rows
                for subscription in subscriptions
                if subscription.wants(row.event.type)
            ]
        )
        self.outbox.advance(CURSOR, rows[-1].seq, leases)
        return len(rows)


def _queued(row: OutboxRow, subscription: Subscription, now: float) -> dict[str, object]:
    return {
        "webhook_id": subscription.webhook_id,
        "seq": row.seq,
        "event_id": row.event.id,
        "type": row.event.type,
        "body": row.event.body().decode(),
        "next_attempt_at": now,
    }
