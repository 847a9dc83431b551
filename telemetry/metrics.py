"""Prometheus metrics of one process, in its own `CollectorRegistry` (never the global one).

Counters move as things happen (events appended by this process); everything about the
shared state (log head, projection positions and lag, checkout outcomes) is read at scrape
time, so every replica reports the same truth and nothing drifts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from eventstore.dead_letters import SAGA
from telemetry.checkouts import CheckoutMonitor
from telemetry.fulfilment import FulfilmentCollector

log = logging.getLogger(__name__)


class ReadSideCollector(Collector):
    """`shop_event_log_head` and, per projection, its position and lag (events, seconds).

    `projections()` says whether this process reports them: a process that never reads
    the views (the command API, the saga worker) must not open the read stores to scrape.
    """

    def __init__(self, read_models: Any, projections: Callable[[], bool] = lambda: True) -> None:
        self.read_models = read_models
        self.projections = projections

    def collect(self) -> Iterator[Metric]:
        try:
            families = self._families()
        except Exception:  # a scrape must answer even when a store is down
            log.warning("read side metrics unavailable", exc_info=True)
            return
        yield from families

    def _families(self) -> list[Metric]:
        head = GaugeMetricFamily("shop_event_log_head", "Position of the newest event in the log.")
        head.add_metric([], self.read_models.head())
        if not self.projections():
            return [head]
        label = ["projection"]
        position = GaugeMetricFamily(
            "shop_projection_position", "Log position the projection has applied.", labels=label
        )
        events = GaugeMetricFamily(
            "shop_projection_lag_events", "Events the projection is behind the head.", labels=label
        )
        seconds = GaugeMetricFamily(
            "shop_projection_lag_seconds", "Age of its oldest unapplied event.", labels=label
        )
        for name in self.read_models.names:
            lag_events, lag_seconds = self.read_models.lag(name)
            position.add_metric([name], self.read_models.position(name))
            events.add_metric([name], lag_events)
            seconds.add_metric([name], lag_seconds)
        return [head, position, events, seconds]


class DeadLetterCollector(Collector):
    """`shop_dead_letters{projection}`: events each projection (and `saga`) parked, for an
    alert at > 0.

    Read from the dead letter table at scrape time, so every replica tells the same count.
    """

    def __init__(self, read_models: Any, projections: Callable[[], bool] = lambda: True) -> None:
        self.read_models = read_models
        self.projections = projections

    def collect(self) -> Iterator[Metric]:
        if not self.projections():
            return
        try:
            counts = self.read_models.dead_letters.counts()
        except Exception:  # a scrape must answer even when the database is down
            log.warning("dead letter metrics unavailable", exc_info=True)
            return
        family = GaugeMetricFamily(
            "shop_dead_letters",
            "Events a projection or the saga parked after failing on them.",
            labels=["projection"],
        )
        # A zero per projection (alerts need the series), and the saga's parked orders.
        for name in [*self.read_models.names, SAGA]:
            family.add_metric([name], counts.get(name, 0))
        yield family


class CheckoutCollector(Collector):
    """Checkout outcomes by reason, checkouts in flight and stuck, counted from the log."""

    def __init__(self, monitor: CheckoutMonitor, stuck_after_s: float) -> None:
        self.monitor = monitor
        self.stuck_after_s = stuck_after_s

    def collect(self) -> Iterator[Metric]:
        try:
            self.monitor.refresh()
        except Exception:
            log.warning("checkout metrics unavailable", exc_info=True)
            return
        outcomes = CounterMetricFamily(
            "shop_checkout_outcomes",
            "Orders confirmed or cancelled (by reason), from the log.",
            labels=["outcome", "reason"],
        )
        for (outcome, reason), count in sorted(self.monitor.outcome_counts().items()):
            outcomes.add_metric([outcome, reason], count)
        yield outcomes
        yield _gauge(
            "shop_checkouts_in_flight",
            "Orders placed, not yet confirmed or cancelled.",
            len(self.monitor.in_flight()),
        )
        yield _gauge(
            "shop_checkouts_stuck",
            "Orders pending for longer than the payment timeout.",
            len(self.monitor.stuck(self.stuck_after_s)),
        )


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation)
    family.add_metric([], value)
    return family


class EventsAppended:
    """`shop_events_appended_total` and `shop_event_saves_total`, counted by this process."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.events = Counter(
            "shop_events_appended", "Events this process appended to the log.", registry=registry
        )
        self.saves = Counter(
            "shop_event_saves", "Atomic saves (one stream each) by this process.", registry=registry
        )

    def __call__(self, events: int) -> None:
        if not events:  # a save with nothing pending writes nothing
            return
        self.saves.inc()
        self.events.inc(events)


def shop_registry(
    container: Any,
    monitor: CheckoutMonitor | None = None,
    projections: Callable[[], bool] = lambda: True,
) -> CollectorRegistry:
    """A fresh registry with the metrics every shop process exports."""
    registry = CollectorRegistry()
    container.store.save_listeners.append(EventsAppended(registry))
    registry.register(ReadSideCollector(container.read_models, projections))
    registry.register(DeadLetterCollector(container.read_models, projections))
    registry.register(FulfilmentCollector(container.read_models, projections))
    monitor = monitor or CheckoutMonitor(container.log, container.clock)
    registry.register(CheckoutCollector(monitor, container.settings.payment_timeout_s))
    return registry
