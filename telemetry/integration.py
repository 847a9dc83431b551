"""Metrics of `shop worker integration`, read at scrape time: the outbox's head, how far
the relay is behind the log, how far each outbox consumer is behind the outbox, the
messages the RabbitMQ publisher had confirmed, and the customer notifications and webhook
deliveries by status."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from integration.outbox import RELAY
from integration.webhooks.tables import DELIVERIES
from notifications.records import NOTIFICATIONS
from telemetry.deliveries import by_status

log = logging.getLogger(__name__)
LAG_CAP = 100_000  # counting further says nothing more and costs a scan


class IntegrationCollector(Collector):
    def __init__(self, relay: Any, amqp: Any | None, log_: Any) -> None:
        self.relay, self.amqp, self.log = relay.managers[0], amqp, log_

    def collect(self) -> Iterator[Metric]:
        try:
            outbox = self.relay.outbox
            head, at = outbox.head(), outbox.cursor(RELAY)
            relay_lag = self.log.count(at, self.log.head(), cap=LAG_CAP)
            consumers = {"amqp": outbox.cursor("amqp")} if self.amqp else {}
            consumers["webhooks"] = outbox.cursor("webhooks")
        except Exception:  # a scrape must answer even when a store is down
            log.warning("integration metrics unavailable", exc_info=True)
            return
        yield GaugeMetricFamily("shop_integration_outbox_head", "Last outbox seq.", value=head)
        yield GaugeMetricFamily(
            "shop_integration_relay_lag_events", "Events the relay is behind.", value=relay_lag
        )
        lag = GaugeMetricFamily(
            "shop_integration_lag_events", "Outbox events not yet delivered.", labels=["sink"]
        )
        for sink, cursor in consumers.items():
            lag.add_metric([sink], head - cursor)
        yield lag
        if self.amqp is not None:
            delivered = CounterMetricFamily(
                "shop_integration_delivered", "Messages confirmed by the broker.", labels=["sink"]
            )
            delivered.add_metric(["amqp"], self.amqp.managers[0].delivered)
            yield delivered
        yield from self._by_status(outbox.engine)

    def _by_status(self, engine: sa.Engine) -> Iterator[Metric]:
        """Rows of the notification and webhook delivery logs, by status."""
        for name, text, table in (
            ("shop_notifications", "Customer messages by status.", NOTIFICATIONS),
            ("shop_webhook_deliveries", "Webhook deliveries by status.", DELIVERIES),
        ):
            counts = by_status(engine, table)
            if counts is None:  # not migrated yet, or the store is away: leave it out
                continue
            family = GaugeMetricFamily(name, text, labels=["status"])
            for status, count in sorted(counts.items()):
                family.add_metric([status], count)
            yield family
