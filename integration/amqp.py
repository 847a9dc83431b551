"""Publishing the outbox to RabbitMQ (`SHOP_AMQP_URL`): topic exchange `shop.events`.

Each event is one persistent message, routing key = its type, `message_id` = its id,
published with confirms; the publisher's cursor moves only once the broker confirmed
every message before it. A dropped connection fails the batch: the runner backs off and
the next batch connects again and resumes from the cursor, so messages published but
not yet counted go out again (at least once; consumers deduplicate by `message_id`).
Runs under the `amqp` lease so that two workers never publish side by side.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import pika
from pika.adapters.blocking_connection import BlockingChannel

from eventstore.fencing import current_leases
from integration.outbox import Outbox

log = logging.getLogger(__name__)
NAME = "amqp"
EXCHANGE = "shop.events"
# What a broken or closed connection raises: drop it and connect again on the next batch.
CONNECTION_ERRORS = (pika.exceptions.AMQPError, ConnectionError, OSError)


class AmqpPublisher:
    """Outbox -> RabbitMQ, one batch per call; its progress is the `amqp` cursor."""

    name = NAME

    def __init__(self, url: str, outbox: Outbox, batch_size: int = 500) -> None:
        self.parameters = pika.URLParameters(url)
        self.outbox, self.batch_size = outbox, batch_size
        self.connection: pika.BlockingConnection | None = None
        self.channel: BlockingChannel | None = None
        self.delivered = 0  # messages confirmed since start (metrics)
        self.reconnects = 0

    def run_batch(self) -> int:
        rows = self.outbox.after(self.outbox.cursor(NAME), self.batch_size)
        if not rows:
            return 0
        try:
            channel = self._channel()
            for row in rows:
                channel.basic_publish(EXCHANGE, row.event.type, row.event.body(), _props(row.event))
        except CONNECTION_ERRORS:
            self.disconnect()
            raise
        # basic_publish on a confirming channel returns once the broker acked the message.
        self.outbox.advance(NAME, rows[-1].seq, current_leases())
        self.delivered += len(rows)
        return len(rows)

    def _channel(self) -> BlockingChannel:
        if self.channel is not None and self.channel.is_open:
            return self.channel
        self.disconnect()
        self.connection = pika.BlockingConnection(self.parameters)
        channel = self.connection.channel()
        channel.exchange_declare(EXCHANGE, exchange_type="topic", durable=True)
        channel.confirm_delivery()
        self.channel = channel
        self.reconnects += 1
        log.info("amqp: connected to %s", self.parameters.host)
        return channel

    def disconnect(self) -> None:
        connection, self.connection, self.channel = self.connection, None, None
        if connection is not None and connection.is_open:
            with contextlib.suppress(*CONNECTION_ERRORS):  # half gone: nothing to tidy
                connection.close()

    def fire_deadlines(self) -> int:
        return 0

    def flush(self) -> None:
        """Nothing waits in memory: the cursor moves with every confirmed batch."""

    def forget(self) -> None:
        """The cursor is re-read with every batch: nothing to forget."""

    def repartition(self, partition: Any) -> None:
        """One unit of work, never split."""


def _props(event: Any) -> pika.BasicProperties:
    return pika.BasicProperties(
        content_type="application/json",
        delivery_mode=pika.DeliveryMode.Persistent,
        message_id=event.id,
        type=event.type,
    )
