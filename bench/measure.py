"""Figures read from the log and the read models while and after the load runs."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from app.bootstrap import Container
from domain.order import Order

TERMINAL = (Order.Confirmed.TOPIC, Order.Cancelled.TOPIC)


class Progress(Protocol):
    @property
    def pending(self) -> int: ...


P = TypeVar("P", bound=Progress)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
        "mean": statistics.fmean(values) if values else float("nan"),
    }


@dataclass
class Outcomes:
    confirmed: int = 0
    cancelled: int = 0
    pending: int = 0
    completion_ms: list[float] = field(default_factory=list)
    confirmed_per_s: float = 0.0


def checkout_outcomes(container: Container, after: int, order_ids: list[str]) -> Outcomes:
    """Placed → terminal latency per order, from the events' own timestamps."""
    wanted = {f"order-{order_id}" for order_id in order_ids}
    placed, ended, confirmed_at = {}, {}, []
    topics = [Order.Placed.TOPIC, *TERMINAL]
    for event in events_after(container, after, topics):
        stream = event.originator_id
        if stream not in wanted:
            continue
        if isinstance(event, Order.Placed):
            placed[stream] = event.timestamp
        elif stream not in ended:
            ended[stream] = (event.timestamp, isinstance(event, Order.Confirmed))
    outcomes = Outcomes(pending=len(wanted) - len(ended))
    for stream, (at, is_confirmed) in ended.items():
        outcomes.completion_ms.append((at - placed[stream]).total_seconds() * 1000)
        outcomes.confirmed += is_confirmed
        outcomes.cancelled += not is_confirmed
        if is_confirmed:
            confirmed_at.append(at)
    if len(confirmed_at) > 1 and placed:
        span = (max(confirmed_at) - min(placed.values())).total_seconds()
        outcomes.confirmed_per_s = outcomes.confirmed / span if span > 0 else 0.0
    return outcomes


def events_after(container: Container, after: int, topics: list[str]) -> Iterator[Any]:
    """The events of `topics` in the log after position `after`, in order."""
    position = after
    while batch := container.log.read(position, 5000, topics):
        yield from (logged.event for logged in batch)
        position = batch[-1].position


def wait_until_done(read: Callable[[], P], timeout_s: float) -> P:
    """`read()` every 250 ms until it reports nothing pending, or `timeout_s` is up."""
    deadline = time.monotonic() + timeout_s
    while True:
        progress = read()
        if progress.pending == 0 or time.monotonic() > deadline:
            return progress
        time.sleep(0.25)


def wait_until_settled(
    container: Container, after: int, order_ids: list[str], timeout_s: float
) -> Outcomes:
    return wait_until_done(lambda: checkout_outcomes(container, after, order_ids), timeout_s)


class LagSampler:
    """Samples every projection's lag (seconds) every `interval_s` on a thread."""

    def __init__(self, container: Container, interval_s: float = 0.1) -> None:
        self.container, self.interval_s = container, interval_s
        self.samples: dict[str, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LagSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        read_models = self.container.read_models
        while not self._stop.wait(self.interval_s):
            for name in read_models.views:
                _, seconds = read_models.lag(name)
                self.samples.setdefault(name, []).append(seconds * 1000)
