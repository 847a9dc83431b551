"""The integration drill's shop: a log that gives every kind of customer notification and
a webhook subscribed to every event, and the relay, webhooks and notifier run in-process.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import sqlalchemy as sa

from app.bootstrap import bootstrap
from app.run.integration import build_relay
from config.settings import Settings
from domain.order import PlaceOrder
from domain.shared import ids
from integration.outbox import Outbox
from integration.relay import no_crash
from integration.webhooks import Policy, build_webhooks
from integration.webhooks.subscriptions import Subscriptions
from integration.webhooks.tables import DELIVERIES
from notifications import build_notifier
from notifications.records import NOTIFICATIONS
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop

MAIL_FROM = "Acme Shop <shop@acme.test>"
KIM = "kim@example.com"
SECRET = "whsec-" + "d" * 32
FAST = Policy(retry_base_s=0.05, max_attempts=5, timeout_s=5.0, poll_s=0.02)
CLAIM_S = 120.0  # the notifier's claim on a SENDING message; a restart comes after it


def place(shop: FulfilmentShop, quantity: int) -> str:
    lines = [{"sku": "SKU-1", "quantity": quantity}]
    command = PlaceOrder("cust-1", str(uuid4()), lines, None, "tok_ok", ADDRESS, {"email": KIM})
    order = ids.check_order_uuid(shop.bus.handle(command).stream_id.split("-", 1)[1])
    shop.settle()
    return order


def prepare(settings: Settings, webhook_url: str) -> None:
    """Two orders: one kept (confirmed, shipped, delivered, a return refunded and one
    rejected), one cancelled; and a webhook for "*". Nothing relayed or sent yet."""
    shop = FulfilmentShop(settings)
    shop.stock("SKU-1", 5, price=1500)
    kept, cancelled = place(shop, 2), place(shop, 1)
    shop.deliver(kept)
    refunded = shop.ask_return(kept, "refund", ("SKU-1", 1))
    shop.approve(refunded)
    shop.receive(refunded)
    shop.reject(shop.ask_return(kept, "refund", ("SKU-1", 1)))
    shop.cancel(cancelled)
    shop.settle()
    subscriptions = Subscriptions(shop.container.read_models.dead_letters.engine)
    subscriptions.create_tables()
    subscriptions.create(str(uuid4()), webhook_url, ["*"], SECRET)
    shop.close()


def later() -> datetime:
    """The restart's clock: past the claim a killed sender left on its message."""
    return datetime.now(UTC) + timedelta(seconds=CLAIM_S + 60)


def run_to_completion(
    settings: Settings, crash: Callable[[str], None] = no_crash, clock: Any = None
) -> None:
    """The relay, then the webhooks, then the notifier, each until it is idle."""
    container = bootstrap(settings, clock=clock) if clock else bootstrap(settings)
    relay = build_relay(container, crash=crash)
    webhooks = build_webhooks(container, leased=False, policy=FAST, crash=crash)
    notifier = build_notifier(container, crash=crash)
    try:
        relay.run_until_idle()
        webhooks.run_until_idle()
        notifier.run_until_idle()
    finally:
        for runner in (notifier, webhooks, relay):
            runner.close()
        container.close()


@dataclass(frozen=True)
class Ledger:
    """What the state database says: notifications, outbox events, webhook deliveries."""

    notifications: dict[str, tuple[str, str]]  # Message-ID -> (kind, status)
    events: list[str]  # outbox event ids, in outbox order
    deliveries: dict[str, str]  # event id -> status

    @classmethod
    def read(cls, settings: Settings) -> Ledger:
        container = bootstrap(settings)
        engine = container.read_models.dead_letters.engine
        domain = MAIL_FROM.rpartition("@")[2].rstrip(">")
        try:
            with engine.connect() as conn:
                table = NOTIFICATIONS
                query = sa.select(table.c.notification_id, table.c.kind, table.c.status)
                notes = {
                    f"<{n}@{domain}>": (kind, status) for n, kind, status in conn.execute(query)
                }
                sent = sa.select(DELIVERIES.c.event_id, DELIVERIES.c.status)
                deliveries = {event_id: status for event_id, status in conn.execute(sent)}
            events = [row.event.id for row in Outbox(engine).after(0, 100_000)]
        finally:
            container.close()
        return cls(notes, events, deliveries)

    def kinds(self) -> Counter[str]:
        return Counter(kind for kind, _ in self.notifications.values())

    def statuses(self) -> set[str]:
        return {status for _, status in self.notifications.values()}
