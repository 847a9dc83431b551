"""Telling the world, end to end: a live `shop serve` (on the embedded default and on
PostgreSQL) whose integration worker emails customers through a real SMTP server
(aiosmtpd), posts signed webhooks to a local HTTP receiver subscribed to "*", and
publishes to RabbitMQ, where an exclusive queue bound to `shop.events` with `#` listens.

Two customers' orders walk through every customer-facing moment (confirmed, cancelled,
shipped, delivered, return approved and rejected, refunded), then SHOP_E2E_ORDERS more
orders (50 unless set; `SHOP_E2E_ORDERS=500 pytest tests/e2e/test_telling_the_world.py`
for the long run) are placed while the integration worker is SIGKILLed mid-run, and
`shop serve` starts it again. What must hold, counted where the world sees it: each email
exactly once per Message-ID at the SMTP server, every integration event at the webhook
receiver (signature checked with the README's recipe) and at the RabbitMQ consumer, each
id once after deduplication and in log order per order (and per sku).

The kill lands while the relay, the publisher, the webhook sender and the notifier's
recording are busy with orders that carry no email address, and after every email sent so
far is SENT. A send cut short by the kill is the README's at-least-once window: its claim
runs out after two minutes and it goes again with the same Message-ID, longer than this
test waits and not the exactly-once case it counts. The orders after the kill carry
addresses again, so the worker that comes back sends fresh email as well.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import signal
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest

from app.carriers import webhook_secret
from config.settings import Settings
from tests.e2e.fulfilment_client import FulfilmentClient
from tests.e2e.server import ShopServer, store_env
from tests.e2e.world import (
    AmqpConsumer,
    World,
    all_sent,
    assert_in_order_per_key,
    body_of,
    outbox_of,
    restarted,
    types_per_key,
    wait_for,
)
from tests.notifications.smtp_server import SmtpServer
from tests.webhooks.receiver import receiving

AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
ORDERS = int(os.environ.get("SHOP_E2E_ORDERS", "50"))
KIM = "kim@example.com"
HOOK_SECRET = secrets.token_hex(16)
MAIL_FROM = "Lumo Store <shop@lumo.test>"
RUN = secrets.token_hex(3)  # skus of this run: their stream ids, so event ids, are its own
LAMP, MUG, BULK = f"LAMP-{RUN}", f"MUG-{RUN}", f"BULK-{RUN}"


def verify(secret: str, body: bytes, header: str, tolerance_s: int = 300) -> bool:
    """body: the raw request bytes; header: the X-Shop-Signature value."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    t = int(fields["t"])
    if abs(time.time() - t) > tolerance_s:  # refuse replays of old requests
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    data_dir = tmp_path_factory.mktemp("world") / "var"
    with ExitStack() as stack:
        env = store_env(request.param, stack)
        smtp = SmtpServer().start()
        stack.callback(smtp.stop)
        hooks = stack.enter_context(receiving())
        amqp = AmqpConsumer(AMQP_URL).start()
        stack.callback(amqp.stop)
        server = ShopServer(
            data_dir,
            SHOP_LEASE_TTL_S="3",
            SHOP_SMTP_URL=smtp.url,
            SHOP_MAIL_FROM=MAIL_FROM,
            SHOP_AMQP_URL=AMQP_URL,
            **env,
        ).start()
        stack.callback(server.stop)
        shop = FulfilmentClient(server, webhook_secret(Settings(data_dir=data_dir)))
        stack.callback(shop.close)
        outbox = outbox_of(data_dir, env)
        stack.callback(outbox.engine.dispose)
        # Subscribed before the first business event: the receiver gets the whole outbox.
        hook = {"url": f"{hooks.url}/hook", "events": ["*"], "secret": HOOK_SECRET}
        assert shop.http.post("/webhooks", json=hook, headers=shop.admin).status_code == 201
        shop.product(LAMP, 3333, 20)
        shop.product(MUG, 1000, 20)
        shop.product(BULK, 500, ORDERS + 5)
        yield World(shop, smtp, hooks, amqp, outbox)


@dataclass(frozen=True)
class Story:
    kept: str  # confirmed, shipped, delivered, one return refunded, one rejected
    cancelled: str  # confirmed, labelled, then cancelled by its customer
    tracking: str
    approved: str
    rejected: str
    bulk: list[str]

    def last_events(self) -> set[tuple[str, str]]:
        last = {(self.kept, "refund.issued.v1"), (self.cancelled, "order.cancelled.v1")}
        return last | {(order_id, "order.confirmed.v1") for order_id in self.bulk}


@pytest.fixture(scope="module")
def story(world: World) -> Story:
    """Every customer-facing moment, then the bulk orders with the kill in their midst."""
    shop, contact = world.shop, {"contact": {"email": KIM}}
    kept = shop.order("kim", {LAMP: 2, MUG: 1}, **contact)
    cancelled = shop.order("kim", {MUG: 3}, **contact)
    tracking = shop.shipped_as(kept, "LABELLED", who="kim")["fulfilment"]["tracking_number"]
    shop.shipped_as(cancelled, "LABELLED", who="kim")
    assert shop.cancel("kim", cancelled).status_code == 202
    assert shop.dispatch(kept).status_code == 202
    assert shop.report(tracking, "DELIVERED").status_code == 202
    shop.shipped_as(kept, "DELIVERED", who="kim")
    approved = shop.ask_return("kim", kept, "refund", {LAMP: 1}).json()["return_id"]
    rejected = shop.ask_return("kim", kept, "refund", {MUG: 1}).json()["return_id"]
    for return_id, decision in ((approved, "approve"), (approved, "receive"), (rejected, "reject")):
        assert shop.decide(return_id, decision).status_code == 202
    shop.wait(kept, lambda v: v["payment_status"] == "PARTIALLY_REFUNDED", who="kim")
    shop.wait(cancelled, lambda v: v["payment_status"] == "REFUNDED", who="kim")
    wait_for(lambda: all_sent(world, 9), "kim's nine emails SENT")
    bulk = place_bulk(world)
    return Story(kept, cancelled, tracking, approved, rejected, bulk)


def bulk_mail(n: int) -> dict[str, Any]:
    return {"contact": {"email": f"bulk-{n}@example.com"}}


def place_bulk(world: World) -> list[str]:
    """A third with email, a third without while the worker is killed, a third with email
    again; each placed by its own customer, eight at a time."""
    shop, third = world.shop, ORDERS // 3
    with ThreadPoolExecutor(8) as pool:
        first = list(
            pool.map(lambda n: shop.order(f"b{n}", {BULK: 1}, **bulk_mail(n)), range(third))
        )
        wait_for(lambda: len(world.smtp.handler.received) >= 9 + third, "the first third's email")
        wait_for(lambda: all(all_sent(world, 1, f"b{n}") for n in range(third)), "all SENT")
        quiet = [pool.submit(shop.order, f"b{n}", {BULK: 1}) for n in range(third, 2 * third)]
        wait_for(lambda: sum(future.done() for future in quiet) >= 4, "orders flowing")
        killed = world.worker("integration")["pid"]
        os.kill(killed, signal.SIGKILL)
        second = [future.result() for future in quiet]
        rest = range(2 * third, ORDERS)
        third_part = list(pool.map(lambda n: shop.order(f"b{n}", {BULK: 1}, **bulk_mail(n)), rest))
    back = wait_for(lambda: restarted(world, killed), "the integration worker back", 30)
    assert back["restarts"] >= 1
    return first + second + third_part


def test_every_notification_arrives_once_with_its_recipient_and_content(
    world: World, story: Story
) -> None:
    items = all_sent(world, 9)
    assert items is not None
    kinds = sorted((item["order_id"], item["kind"]) for item in items)
    kept = ["order_confirmed", "shipment_shipped", "shipment_delivered"]
    kept += ["return_approved", "return_rejected", "refund_issued"]
    cancelled = ["order_confirmed", "order_cancelled", "refund_issued"]
    expected = [(story.kept, kind) for kind in kept] + [(story.cancelled, k) for k in cancelled]
    assert kinds == sorted(expected)
    per_id = world.smtp.handler.per_id
    for item in items:
        assert per_id[f"<{item['notification_id']}@lumo.test>"] == 1

    def said(subject: str, order: str) -> str:
        [message] = [m for m in world.mail_to(KIM, subject) if order in body_of(m)]
        assert str(message["From"]) == MAIL_FROM
        return body_of(message)

    confirmed = said("Your order is confirmed", story.kept)
    assert f"2 x {LAMP}  6,666 KRW" in confirmed
    assert "Total  7,666 KRW" in confirmed
    assert "customer request" in said("Your order was cancelled", story.cancelled)
    assert story.tracking in said("Your order has shipped", story.kept)
    assert story.tracking in said("Your order was delivered", story.kept)
    assert story.approved in said("Your return is approved", story.kept)
    assert "worn" in said("Your return was declined", story.kept)
    assert "3,333 KRW" in said("Your refund is on its way", story.kept)
    assert "3,000 KRW" in said("Your refund is on its way", story.cancelled)


def test_no_email_twice_across_the_kill_and_the_bulk_orders_mail_is_all_there(
    world: World, story: Story
) -> None:
    third = ORDERS // 3
    mailed = [n for n in range(ORDERS) if not third <= n < 2 * third]
    wait_for(lambda: all(all_sent(world, 1, f"b{n}") for n in mailed), "bulk email SENT")
    for n in range(third, 2 * third):
        [item] = world.shop.http.get(
            f"/customers/b{n}/notifications", headers=world.shop.admin
        ).json()["items"]
        assert item["status"] == "SKIPPED"
    assert sorted(world.smtp.handler.per_id.values()) == [1] * (9 + len(mailed))
    assert {str(m["To"]) for m in world.smtp.handler.received} == {KIM} | {
        f"bulk-{n}@example.com" for n in mailed
    }


def test_webhooks_get_every_event_signed_and_in_order_per_order(world: World, story: Story) -> None:
    rows = world.settled(story.last_events())
    requests = world.hooks.on("/hook")
    later = {row.event.id for row in world.outbox.after(0, 1_000_000)}
    for request in requests:
        headers = request.headers
        assert verify(HOOK_SECRET, request.body, headers["X-Shop-Signature"])
        event = json.loads(request.body)
        assert (event["id"], event["type"]) == (
            headers["X-Shop-Event-Id"],
            headers["X-Shop-Event-Type"],
        )
    arrived = [r.headers["X-Shop-Event-Id"] for r in requests]
    assert set(arrived) <= later  # nothing but the outbox's events
    assert_in_order_per_key(arrived, rows)
    assert {row.event.type for row in rows} == {
        "order.placed.v1", "order.confirmed.v1", "order.cancelled.v1", "shipment.shipped.v1",
        "shipment.delivered.v1", "refund.issued.v1", "stock.changed.v1", "product.changed.v1",
    }  # fmt: skip
    assert types_per_key(rows, story.kept) == [
        "order.placed.v1", "order.confirmed.v1", "shipment.shipped.v1",
        "shipment.delivered.v1", "refund.issued.v1",
    ]  # fmt: skip
    # Cancelling a paid order refunds it first (the checkout's compensation), then cancels.
    assert types_per_key(rows, story.cancelled) == [
        "order.placed.v1", "order.confirmed.v1", "refund.issued.v1", "order.cancelled.v1",
    ]  # fmt: skip


def test_rabbitmq_gets_every_event_of_every_order_once_after_dedup_in_order(
    world: World, story: Story
) -> None:
    rows = world.settled(story.last_events())
    with world.amqp.lock:
        received = list(world.amqp.received)
    later = {row.event.id for row in world.outbox.after(0, 1_000_000)}
    # The broker is shared: other shops publish to `shop.events` too. Ours are the ids in
    # our outbox (stream and version of our own orders, and of skus named for this run).
    ours = [(key, message_id, body) for key, message_id, body in received if body["id"] in later]
    for routing_key, message_id, body in ours:
        assert (routing_key, message_id) == (body["type"], body["id"])
    arrived = [body["id"] for _, _, body in ours]
    assert_in_order_per_key(arrived, rows)
    for order_id in story.bulk:
        assert types_per_key(rows, order_id) == ["order.placed.v1", "order.confirmed.v1"]
