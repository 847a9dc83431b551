"""RabbitMQ for real: every integration event of many orders reaches a consumer bound to
`shop.events` with `#`, in order per order, each id once after deduplication, across a
publisher that dies and a connection that drops."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from app.run.integration import build_amqp, build_relay
from integration.amqp import CONNECTION_ERRORS, NAME
from tests.scenarios.shop import Shop

ORDERS = 100


@pytest.fixture(scope="module")
def shop(amqp_url, tmp_path_factory) -> Iterator[tuple[Shop, Any, list[str]]]:
    """One shop with ORDERS placed and confirmed, relayed into its outbox."""
    from config.settings import Settings

    data_dir = tmp_path_factory.mktemp("amqp") / "var"
    shop = Shop(Settings(data_dir=data_dir, event_store="sqlite", amqp_url=amqp_url))
    shop.stock("SKU-1", ORDERS)
    placed = [shop.place(("SKU-1", 1)) for _ in range(ORDERS)]
    shop.settle()
    relay = build_relay(shop.container)
    relay.run_until_idle()
    yield shop, relay.managers[0].outbox, placed
    relay.close()
    shop.close()


@pytest.fixture
def publisher(shop) -> Iterator[Any]:
    the_shop, outbox, _ = shop
    outbox.forget(NAME)  # each test publishes the whole outbox again
    runner = build_amqp(the_shop.container)
    assert runner is not None
    runner.managers[0].batch_size = 50
    yield runner
    runner.close()


def received(consumer: Any) -> list[tuple[str, dict[str, Any], Any]]:
    channel, queue = consumer
    messages = []
    for method, properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=1):
        if method is None:
            break
        messages.append((method.routing_key, json.loads(body), properties))
    channel.cancel()
    return messages


def assert_all_delivered_in_order(messages: list[Any], outbox: Any, placed: list[str]) -> None:
    expected = [row.event for row in outbox.after(0, 100_000)]
    seen: dict[str, dict[str, Any]] = {}
    for _, body, properties in messages:
        assert properties.message_id == body["id"]
        seen.setdefault(body["id"], body)  # dedup by message_id, as a consumer would
    assert [e.id for e in expected if e.id not in seen] == []  # nothing lost
    for order_id in placed:
        ids = [e.id for e in expected if e.key == order_id]
        arrived = [body["id"] for _, body, _ in messages if body["id"] in ids]
        first_seen = list(dict.fromkeys(arrived))
        assert first_seen == ids  # the order's events in order


def test_every_event_of_every_order_arrives_once_in_order(shop, consumer, publisher):
    _, outbox, placed = shop
    publisher.run_until_idle()

    messages = received(consumer)
    assert_all_delivered_in_order(messages, outbox, placed)
    assert len(messages) == outbox.head()  # no drop: no duplicate either
    routing_key, body, properties = messages[0]
    assert routing_key == body["type"]
    assert (properties.delivery_mode, properties.content_type) == (2, "application/json")
    assert outbox.cursor(NAME) == outbox.head()


def test_a_publisher_killed_between_batches_loses_nothing(shop, consumer, publisher):
    the_shop, outbox, placed = shop
    publisher.managers[0].run_batch()
    publisher.close()  # dies: its successor starts from the cursor it left
    successor = build_amqp(the_shop.container)
    assert successor is not None
    successor.run_until_idle()
    successor.close()

    assert_all_delivered_in_order(received(consumer), outbox, placed)


def test_a_dropped_connection_is_survived(shop, consumer, publisher):
    _, outbox, placed = shop
    amqp = publisher.managers[0]
    amqp.run_batch()
    sock = amqp.connection._impl._transport._sock
    sock.shutdown(socket.SHUT_RDWR)  # the broker is gone, as far as this client knows

    with pytest.raises(CONNECTION_ERRORS):
        amqp.run_batch()
    publisher.run_until_idle()  # connects again and goes on from the cursor

    assert amqp.reconnects == 2
    assert_all_delivered_in_order(received(consumer), outbox, placed)
    assert outbox.cursor(NAME) == outbox.head()


def test_the_worker_loop_reconnects_by_itself(shop, consumer, publisher):
    _, outbox, placed = shop
    amqp = publisher.managers[0]
    amqp.run_batch()
    amqp.connection._impl._transport._sock.shutdown(socket.SHUT_RDWR)
    publisher.start()  # the runner's loop backs off and retries a failed batch
    try:
        messages = received(consumer)
    finally:
        publisher.stop()
    assert_all_delivered_in_order(messages, outbox, placed)
