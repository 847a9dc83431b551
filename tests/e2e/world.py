"""The outside world of `test_telling_the_world`: the shop and what listens to it (SMTP
server, webhook receiver, a RabbitMQ consumer on its own thread), the shop's outbox read
back as the expected log order, and the checks on what arrived."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import pika

from app.backends import state_engine
from config.settings import Settings
from integration.outbox import RELAY, Outbox, OutboxRow
from tests.e2e.fulfilment_client import FulfilmentClient
from tests.notifications.smtp_server import SmtpServer
from tests.webhooks.receiver import Receiver

EXCHANGE = "shop.events"


@dataclass
class World:
    shop: FulfilmentClient
    smtp: SmtpServer
    hooks: Receiver
    amqp: AmqpConsumer
    outbox: Outbox

    def settled(self, last: set[tuple[str, str]]) -> list[OutboxRow]:
        """The outbox once it holds each `(key, type)` of `last` (the orders' last events),
        the relay has followed the log to its head, and both the webhook receiver and the
        RabbitMQ consumer have every event in it."""

        def check() -> list[OutboxRow] | None:
            head = self.shop.http.get("/health").json()["head"]
            rows = relayed(self.outbox, head)
            if rows is None or last - {(r.event.key, r.event.type) for r in rows}:
                return None
            ids = {row.event.id for row in rows}
            hooked = {r.headers["X-Shop-Event-Id"] for r in self.hooks.on("/hook")}
            arrived = ids <= hooked and ids <= set(self.amqp.ids())
            return rows if arrived else None

        return wait_for(check, "every event relayed and delivered", timeout_s=60)

    def mail_to(self, recipient: str, subject: str) -> list[EmailMessage]:
        return [m for m in self.smtp.to(recipient) if subject in str(m["Subject"])]

    def worker(self, name: str) -> dict[str, Any]:
        answer = self.shop.http.get("/ops/api/workers", headers=self.shop.admin).json()
        rows = answer["workers"] if isinstance(answer, dict) else answer
        return dict(next(row for row in rows if row["name"] == name))


class AmqpConsumer:
    """An exclusive queue bound to `shop.events` with `#`, drained on a thread of its own
    (pika's blocking connection then answers the broker's heartbeats all along)."""

    def __init__(self, url: str) -> None:
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        self.channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, EXCHANGE, routing_key="#")
        self.received: list[tuple[str, str | None, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._consume, daemon=True)

    def start(self) -> AmqpConsumer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.connection.add_callback_threadsafe(self.channel.stop_consuming)
        self.thread.join(10)

    def ids(self) -> list[str]:
        """Event ids as they arrived, repeats included."""
        with self.lock:
            return [body["id"] for _, _, body in self.received]

    def _consume(self) -> None:
        self.channel.basic_consume(self.queue, self._on_message, auto_ack=True)
        self.channel.start_consuming()
        self.connection.close()

    def _on_message(self, _: Any, method: Any, properties: Any, body: bytes) -> None:
        try:
            event = json.loads(body)
        except ValueError:
            return  # another publisher's on the shared exchange
        if isinstance(event, dict) and "id" in event:
            with self.lock:
                self.received.append((method.routing_key, properties.message_id, event))


def outbox_of(data_dir: Any, env: dict[str, str]) -> Outbox:
    """The server's outbox, read from its own database: the log order the relay wrote."""
    settings = Settings(
        data_dir=data_dir,
        event_store=env.get("SHOP_EVENT_STORE", "sqlite"),
        postgres_dsn=env.get("SHOP_POSTGRES_DSN"),
        postgres_schema=env.get("SHOP_POSTGRES_SCHEMA", "public"),
    )
    return Outbox(state_engine(settings))


def relayed(outbox: Outbox, head: int) -> list[OutboxRow] | None:
    """Every row of the outbox once the relay has followed the log to `head`, else None."""
    if outbox.cursor(RELAY) < head:
        return None
    return outbox.after(0, 1_000_000)


def first_seen(ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def assert_in_order_per_key(arrived: list[str], rows: list[OutboxRow]) -> None:
    """Every row's id arrived, and each key's (order id or sku) in outbox order."""
    seen = first_seen(arrived)
    assert {row.event.id for row in rows} - set(seen) == set()  # nothing lost
    at = {event_id: n for n, event_id in enumerate(seen)}
    keys: dict[str, list[str]] = {}
    for row in rows:
        keys.setdefault(row.event.key, []).append(row.event.id)
    for key, ids in keys.items():
        assert sorted(ids, key=at.__getitem__) == ids, f"{key}: out of order"


def types_per_key(rows: list[OutboxRow], key: str) -> list[str]:
    return [row.event.type for row in rows if row.event.key == key]


def wait_for(check: Callable[[], Any], what: str, timeout_s: float = 60.0) -> Any:
    """`check()`'s first truthy answer, polled every 0.1 s until the deadline."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        answer = check()
        if answer:
            return answer
        time.sleep(0.1)
    raise AssertionError(f"{what}: not after {timeout_s} s")


def all_sent(world: World, count: int, customer: str = "kim") -> list[dict[str, Any]] | None:
    """The customer's notifications once there are `count`, every one SENT."""
    shop = world.shop
    answer = shop.http.get(f"/customers/{customer}/notifications", headers=shop.admin).json()
    items = answer["items"]
    done = answer["total"] == count and all(item["status"] == "SENT" for item in items)
    return items if done else None


def restarted(world: World, killed: int) -> dict[str, Any] | None:
    row = world.worker("integration")
    return row if row["alive"] and row["pid"] not in (None, killed) else None


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())
