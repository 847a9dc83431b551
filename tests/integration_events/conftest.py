"""RabbitMQ for the integration event tests: skipped (or failed, with
SHOP_REQUIRE_SERVICES=1) when the broker is not reachable."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pika
import pytest

from integration.amqp import CONNECTION_ERRORS, EXCHANGE
from tests.support.services import services_required

AMQP_URL = os.environ.get("SHOP_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")


@pytest.fixture(scope="module")
def amqp_url() -> str:
    try:
        pika.BlockingConnection(pika.URLParameters(AMQP_URL)).close()
    except CONNECTION_ERRORS:
        if services_required():
            pytest.fail(f"RabbitMQ not reachable at {AMQP_URL}")
        pytest.skip(f"RabbitMQ not reachable at {AMQP_URL} (set SHOP_TEST_AMQP_URL)")
    return AMQP_URL


@pytest.fixture
def consumer(amqp_url) -> Iterator[Any]:
    connection = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = connection.channel()
    channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
    queue = channel.queue_declare("", exclusive=True).method.queue
    channel.queue_bind(queue, EXCHANGE, routing_key="#")
    yield channel, queue
    connection.close()
