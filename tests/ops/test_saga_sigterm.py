"""SIGTERM on `shop worker saga`: finish the batch in hand, record the position, exit 0.

Orders keep being placed while the worker is stopped mid-run and restarted; every order
must end confirmed, with exactly one completed checkout and one captured payment.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from app.bootstrap import Container
from app.run.saga import saga_engine
from commands.process_managers.state import SagaState
from domain.checkout import Checkout
from domain.payment import Payment
from domain.shared import ids
from tests.ops.scrape import value
from tests.ops.server import free_port, start, stop, wait_until
from tests.ops.traffic import Writer, catalog, open_shop

WORKER = ["worker", "saga"]


def settled(shop: Container, order_ids: list[str]) -> int:
    return sum(shop.store.get(ids.order_stream(o)).status != "PENDING" for o in order_ids)


def saga_position(shop: Container) -> int:
    engine = saga_engine(shop.settings)
    try:
        return SagaState(engine).position("checkout")
    finally:
        engine.dispose()


def count(shop: Container, stream_id: str, kind: type) -> int:
    return sum(isinstance(event, kind) for event in shop.store.events.get(stream_id))


def test_sigterm_mid_run_then_restart_settles_every_order_once(tmp_path: Path):
    data_dir = tmp_path / "var"
    shop = open_shop(data_dir)
    catalog(shop)
    with Writer(shop) as writer:
        port = free_port()
        worker = start(WORKER, data_dir, "saga.log", SHOP_METRICS_PORT=str(port))
        wait_until(lambda: settled(shop, list(writer.orders)) >= 10, what="the first orders")
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert stop(worker) == 0
        recorded = saga_position(shop)
        time.sleep(0.3)  # orders placed while no saga runs
        worker = start(WORKER, data_dir, "saga.log")
        time.sleep(0.5)
    orders = list(writer.orders)
    wait_until(lambda: settled(shop, orders) == len(orders), what="every order to settle")
    assert stop(worker) == 0

    assert recorded > 0  # the position of the last finished batch was kept
    assert value(metrics, "shop_saga_lag_events", manager="checkout") is not None
    assert value(metrics, "shop_checkout_outcomes_total", outcome="confirmed") >= 10
    for order_id in orders:
        assert shop.store.get(ids.order_stream(order_id)).status == "CONFIRMED"
        assert count(shop, ids.checkout_stream(order_id), Checkout.Completed) == 1
        assert count(shop, ids.payment_stream(order_id), Payment.Captured) == 1
    shop.close()
