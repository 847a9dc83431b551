"""Rebuild throughput on the embedded stores: `python -m tests.projections.measure_rebuild`.

Writes a history of real domain events (orders placed, stock reserved and committed,
payments captured, orders confirmed; a tenth declined and cancelled) into a fresh SQLite
event store, then rebuilds every read model blue/green and prints events/s. A script, not
a test: speed is reported, not asserted.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from app.bootstrap import bootstrap
from config.settings import Settings
from domain.inventory import InventoryItem
from domain.order import Order, PricedLine
from domain.payment import Payment
from domain.product import Product
from projections.rebuild import rebuild_view

SKUS = [f"SKU-{n:03d}" for n in range(50)]


def write_history(container: object, orders: int, per_save: int = 200) -> None:
    store = container.store  # type: ignore[attr-defined]
    items = {}
    for number, sku in enumerate(SKUS):
        store.save(
            Product.register(
                sku,
                f"Widget {number}",
                "A widget",
                f"cat{number % 5}",
                f"brand{number % 7}",
                100 + number,
                "KRW",
                {},
            )
        )
        items[sku] = InventoryItem.start_tracking(sku)
        items[sku].receive(1_000_000)
    store.save(*items.values())
    for start in range(0, orders, per_save):
        batch = [
            aggregate
            for n in range(start, min(orders, start + per_save))
            for aggregate in one_order(n, items)
        ]
        store.save(*batch, *items.values())


def one_order(number: int, items: dict[str, InventoryItem]) -> list[object]:
    order_id = str(uuid4())
    skus = [SKUS[(number * 7 + k) % len(SKUS)] for k in range(2)]
    lines = [PricedLine(sku, sku, 1, 1000, "KRW") for sku in skus]
    order = Order.place(order_id, f"cust-{number % 500}", lines, 0, None, "tok_ok", None)
    payment = Payment.request(order_id, order.total, "KRW", "tok_ok")
    for sku in skus:
        items[sku].reserve(order_id, 1)
    if number % 10 == 9:
        payment.decline("card_declined")
        for sku in skus:
            items[sku].release(order_id)
        order.cancel("PAYMENT_DECLINED")
    else:
        payment.capture(f"ref-{number}")
        for sku in skus:
            items[sku].commit(order_id)
        order.confirm()
    return [order, payment]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=12_000, help="about 9 events each")
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="rebuild-"))
    container = bootstrap(Settings(data_dir=data_dir))
    started = time.perf_counter()
    write_history(container, args.orders)
    head = container.log.head()
    print(f"wrote {head} events in {time.perf_counter() - started:.1f} s into {data_dir}")
    read_models = container.read_models
    read_models.catch_up()  # the live views are current, as in production
    for name in read_models.names:
        report = rebuild_view(read_models.log, read_models.view(name), grace_s=0)
        print(
            f"rebuilt {name}: {report.events} events in {report.seconds:.2f} s "
            f"({report.rate:,.0f} events/s), "
            f"verified in {report.verify_seconds:.2f} s"
        )
    container.close()


if __name__ == "__main__":
    main()
