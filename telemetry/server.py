"""`/metrics` for the workers: a small HTTP server on SHOP_METRICS_PORT (off when unset)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import start_http_server
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from telemetry.metrics import shop_registry

log = logging.getLogger(__name__)
SAGA_LAG_CAP = 10_000  # a scrape counts at most this many unhandled events


class SagaCollector(Collector):
    """Each checkout manager's log position and how far behind the head it is."""

    def __init__(self, runner: Any, log_: Any) -> None:
        self.runner = runner
        self.log = log_

    def collect(self) -> Iterator[Metric]:
        labels = ["manager"]
        position = GaugeMetricFamily(
            "shop_saga_position", "Log position the saga manager has handled.", labels=labels
        )
        lag = GaugeMetricFamily(
            "shop_saga_lag_events", "Events the saga manager is behind the head.", labels=labels
        )
        try:
            head = self.log.head()
        except Exception:
            log.warning("saga metrics unavailable", exc_info=True)
            return
        for manager in self.runner.managers:
            at = manager.position or 0  # None until its first batch
            position.add_metric([manager.name], at)
            # Counted, not `head - at`: positions are byte offsets on KurrentDB.
            lag.add_metric([manager.name], self.log.count(at, head, cap=SAGA_LAG_CAP))
        yield position
        yield lag


def serve_worker_metrics(
    container: Any, *extra: Collector, projections: bool = True
) -> Callable[[], None]:
    """Serve the process's metrics on `settings.metrics_port`; returns the stopper."""
    port = container.settings.metrics_port
    if port is None:
        return lambda: None
    registry = shop_registry(container, projections=lambda: projections)
    for collector in extra:
        registry.register(collector)
    server, thread = start_http_server(port, addr="0.0.0.0", registry=registry)
    log.info("metrics on :%d/metrics", port)

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(5)

    return stop
