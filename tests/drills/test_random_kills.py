"""Crash drill: a run of many orders while the saga worker is SIGKILLed at random moments.

Orders, cancellations and late gateway captures keep coming while forked workers are
killed mid-batch and restarted; the last worker is stopped with SIGTERM and must exit 0.
Then every order is terminal, no payment was captured twice and nothing leaked.
"""

from __future__ import annotations

import contextlib
import random
import signal
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.shared.base import DomainError
from tests.drills.conftest import DRILL_ORDERS
from tests.drills.worker_process import fork_worker
from tests.scenarios.invariants import TERMINAL, assert_settled
from tests.scenarios.shop import Shop

pytestmark = pytest.mark.slow

SKUS = [f"SKU-{n}" for n in range(5)]
TOKENS = ["tok_ok"] * 14 + ["tok_declined"] * 2 + ["tok_flaky"] * 2 + ["tok_timeout"]


def utc_now() -> datetime:
    return datetime.now(UTC)


def random_order(shop: Shop, rng: random.Random, index: int) -> tuple[str, str | None]:
    skus = rng.sample(SKUS, rng.choice((1, 1, 2)))
    coupon = "RAND" if rng.random() < 0.3 else None
    lines = [(sku, rng.choice((1, 1, 2))) for sku in skus]
    order = shop.place(*lines, token=rng.choice(TOKENS), coupon=coupon, customer=f"c{index}")
    return order, coupon


def pending(shop: Shop, orders: dict[str, str | None]) -> list[str]:
    return [order for order in orders if shop.order(order).status not in TERMINAL]


def wait_for(condition: Any, timeout_s: float = 240) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the saga did not finish in time"
        time.sleep(0.25)


def test_random_sigkills_during_a_run_lose_nothing_and_do_nothing_twice(
    backend: str, settings_for
) -> None:
    rng = random.Random(20261101)
    settings = settings_for(backend, payment_timeout_s=1.0)
    shop = Shop(settings, clock=utc_now)
    received = dict.fromkeys(SKUS, DRILL_ORDERS // 6)  # scarce: some orders run out
    for sku, quantity in received.items():
        shop.stock(sku, quantity)
    shop.coupon("RAND", max_redemptions=DRILL_ORDERS // 10)
    orders: dict[str, str | None] = {}
    kills_mid_run = 0
    chunk = max(1, DRILL_ORDERS // 8)
    while len(orders) < DRILL_ORDERS or (pending(shop, orders) and kills_mid_run < 12):
        worker = fork_worker(settings)
        for index in range(len(orders), min(len(orders) + chunk, DRILL_ORDERS)):
            order, coupon = random_order(shop, rng, index)
            orders[order] = coupon
        cancel_some(shop, rng, orders)
        time.sleep(rng.uniform(0.1, 0.8))
        busy = bool(pending(shop, orders))
        worker.kill()  # SIGKILL, wherever it is
        worker.join(10)
        assert worker.exitcode == -signal.SIGKILL
        kills_mid_run += busy
    assert kills_mid_run >= 3

    last = fork_worker(settings)
    wait_for(lambda: not pending(shop, orders))
    shop.deliver_late_captures()
    wait_for(lambda: all_late_captures_refunded(shop, orders))
    last.terminate()  # SIGTERM: finish the batch in hand, exit 0
    last.join(30)
    assert last.exitcode == 0

    assert_settled(shop, orders, received)
    shop.close()


def cancel_some(shop: Shop, rng: random.Random, orders: dict[str, str | None]) -> None:
    for order in rng.sample(list(orders), min(len(orders), 3)):
        with contextlib.suppress(DomainError):  # already cancelled: the customer is told so
            shop.cancel(order)


def all_late_captures_refunded(shop: Shop, orders: dict[str, str | None]) -> bool:
    for order in orders:
        payment = shop.payment(order)
        captured = payment is not None and payment.status == "CAPTURED"
        if captured and shop.order(order).status == "CANCELLED":
            return False
    return True
