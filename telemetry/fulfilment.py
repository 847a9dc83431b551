"""Fulfilment gauges for an alert when work waits for an admin, read from the order views."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)
GAUGES = {
    "shipments_on_hold": "Shipments ON_HOLD: the carrier refused the label (fix the address).",
    "returns_awaiting_approval": "Returns REQUESTED, waiting for an admin to approve or reject.",
}


class FulfilmentCollector(Collector):
    """`shop_shipments_on_hold` and `shop_returns_awaiting_approval`, counted in the order
    views at scrape time (every replica tells the same), only where reads are served."""

    def __init__(self, read_models: Any, projections: Callable[[], bool] = lambda: True) -> None:
        self.read_models = read_models
        self.projections = projections

    def collect(self) -> Iterator[Metric]:
        if not self.projections():
            return
        try:
            counts = self.read_models.view("order_views").backlog()
        except Exception:  # a scrape must answer even when the read store is down
            log.warning("fulfilment metrics unavailable", exc_info=True)
            return
        for name, documentation in GAUGES.items():
            family = GaugeMetricFamily(f"shop_{name}", documentation)
            family.add_metric([], counts.get(name, 0))
            yield family
