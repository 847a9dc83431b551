"""The saga worker entry point as the CLI starts it: a fresh interpreter per process."""

from __future__ import annotations

import signal
import time

import pytest

from tests.drills.worker_process import spawn_worker
from tests.scenarios.invariants import TERMINAL, assert_settled
from tests.scenarios.shop import Shop

pytestmark = pytest.mark.slow


def test_the_worker_survives_sigkill_and_exits_0_on_sigterm(settings_for) -> None:
    settings = settings_for("sqlite")
    shop = Shop(settings)
    shop.stock("SKU-1", 80)
    orders = dict.fromkeys(shop.place(("SKU-1", 1), customer=f"c{n}") for n in range(100))

    first = spawn_worker(settings)
    time.sleep(1.8)  # a little longer than the interpreter takes to start: mid-run
    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL

    second = spawn_worker(settings)
    wait_until_terminal(shop, orders)
    last = shop.place(("SKU-1", 1), customer="late")  # proves the new worker is up
    orders[last] = None
    wait_until_terminal(shop, orders)
    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0

    assert_settled(shop, orders, {"SKU-1": 80})
    shop.close()


def wait_until_terminal(shop: Shop, orders: dict[str, None], timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while any(shop.order(order).status not in TERMINAL for order in orders):
        assert time.monotonic() < deadline, "the worker did not finish"
        time.sleep(0.2)
