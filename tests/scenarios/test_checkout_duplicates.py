"""At-least-once delivery: events handed to the saga 2-3 times end exactly as once."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import pytest

from eventstore.log import Batch, EventLog
from tests.scenarios.invariants import assert_settled
from tests.scenarios.shop import Shop
from tests.scenarios.workload import RECEIVED, run_workload, summary

pytestmark = pytest.mark.scenario

EXPECTED = [
    ("CONFIRMED", None, "CAPTURED"),
    ("CONFIRMED", None, "CAPTURED"),
    ("CANCELLED", "PAYMENT_DECLINED", "DECLINED"),
    ("CONFIRMED", None, "CAPTURED"),
    ("CANCELLED", "PAYMENT_TIMEOUT", "REFUNDED"),
    ("CANCELLED", "OUT_OF_STOCK", None),
    ("CANCELLED", "CUSTOMER_REQUEST", "REFUNDED"),
    ("CANCELLED", "COUPON_REJECTED", None),
    ("CANCELLED", "CUSTOMER_REQUEST", "REFUNDED"),
]


class DuplicatingLog:
    """Hands every event 2 or 3 times, some of them again after later events."""

    def __init__(self, log: EventLog, seed: int) -> None:
        self.log = log
        self.random = random.Random(seed)

    def read_batch(
        self, after: int, limit: int = 500, topics: Sequence[str] = (), keep: Any = None
    ) -> Batch:
        batch = self.log.read_batch(after, limit, topics, keep)
        events: list[Any] = []
        for logged in batch.events:
            events += [logged] * self.random.choice((2, 3))
            if events and self.random.random() < 0.3:
                events.append(self.random.choice(events))
        return Batch(events, batch.upto)


def test_the_workload_ends_as_expected(shop: Shop) -> None:
    orders = run_workload(shop)

    assert summary(shop, orders)["orders"] == EXPECTED
    assert_settled(shop, orders, RECEIVED)


@pytest.mark.parametrize("seed", [1, 2])
def test_every_event_delivered_two_or_three_times_gives_the_same_end(
    backend: str, settings_for, tmp_path, seed: int
) -> None:
    clean = Shop(settings_for(backend, data_dir=tmp_path / "clean"))
    doubled = Shop(settings_for(backend, data_dir=tmp_path / "doubled"))
    for manager in doubled.saga.managers:
        manager.log = DuplicatingLog(manager.log, seed)  # type: ignore[assignment]
    try:
        expected = summary(clean, run_workload(clean))
        orders = run_workload(doubled)
        assert summary(doubled, orders) == expected
        assert_settled(doubled, orders, RECEIVED)
    finally:
        clean.close()
        doubled.close()


def test_replaying_the_whole_log_after_the_end_writes_nothing(shop: Shop) -> None:
    orders = run_workload(shop)
    head, before = shop.store.head(), summary(shop, orders)

    for manager in shop.saga.managers:
        manager.state.forget_position(manager.name)
        manager.forget()
    shop.settle()

    assert shop.store.head() == head
    assert summary(shop, orders) == before
