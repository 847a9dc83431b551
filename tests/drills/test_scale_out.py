"""The replicas' scale-out drill runs: every order terminal, and its CPU counted until the
workers are idle, which is never less than at the last terminal order (not how fast)."""

from __future__ import annotations

from contextlib import ExitStack

from tests.drills.scale_out import measure
from tests.drills.throughput import drill_settings


def test_two_workers_drive_every_order_and_go_idle(backend: str) -> None:
    with ExitStack() as stack:
        settings = drill_settings(stack, backend)

        result = measure(settings, orders=20, partitions=2, replicas=2)

    assert result["orders/s"] > 0
    assert result["cpu_ms/order"] >= result["cpu_ms/order at the last terminal"] > 0
    assert result["idle cpu %/worker"] < 20
    assert result["saga events/order"] > 10  # the checkout and fulfilment's own, at least
