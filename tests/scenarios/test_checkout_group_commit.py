"""Group commit: a batch of orders costs the saga a few transactions, not one per command."""

from __future__ import annotations

import logging

import pytest

from domain.inventory import InventoryItem, ReceiveStock
from domain.shared.ids import inventory_stream
from tests.scenarios.shop import Shop
from tests.scenarios.workload import run_workload, summary

pytestmark = pytest.mark.scenario


def test_a_batch_of_orders_is_appended_in_two_transactions(shop: Shop) -> None:
    shop.stock("SKU-1", 50)
    orders = [shop.place(("SKU-1", 1), customer=f"c{n}") for n in range(10)]
    appends: list[int] = []
    shop.store.save_listeners.append(appends.append)
    head = shop.store.head()

    shop.settle()

    assert all(shop.order(order).status == "CONFIRMED" for order in orders)
    # Reserve, request, capture sent in one; captured, committed, confirmed in the other.
    assert len(appends) == 2, appends
    assert sum(appends) == shop.store.head() - head >= 10 * 8


def test_a_stream_changed_under_the_batch_is_redone_one_command_at_a_time(
    backend: str, settings_for, caplog: pytest.LogCaptureFixture
) -> None:
    holder: list[Shop] = []

    def another_writer(point: str) -> None:
        # Stock arrives through the API while the saga's unit holds the reservation.
        if point == "sent ReserveStock" and len(holder) == 1:
            holder[0].bus.handle(ReceiveStock("SKU-1", 5))
            holder.append(holder[0])

    shop = Shop(settings_for(backend), crash=another_writer)
    holder.append(shop)
    try:
        shop.stock("SKU-1", 10)
        orders = [shop.place(("SKU-1", 2), customer=f"c{n}") for n in range(3)]

        with caplog.at_level(logging.INFO, logger="commands.process_managers.checkout"):
            shop.settle()

        assert "redoing it" in caplog.text
        assert [shop.order(order).status for order in orders] == ["CONFIRMED"] * 3
        assert (shop.item("SKU-1").on_hand, shop.item("SKU-1").reserved) == (15 - 6, 0)
        stream = list(shop.store.events.get(inventory_stream("SKU-1")))
        reserved = [e.order_id for e in stream if isinstance(e, InventoryItem.StockReserved)]
        assert sorted(reserved) == sorted(orders)  # each once: nothing of the stale unit
        assert all(shop.captures(order)["captures"] == 1 for order in orders)
    finally:
        shop.close()


def test_one_append_per_command_ends_as_group_commit_does(
    backend: str, settings_for, tmp_path
) -> None:
    ended = []
    for group_commit in (True, False):
        settings = settings_for(backend, data_dir=tmp_path / str(group_commit))
        shop = Shop(settings, group_commit=group_commit)
        try:
            ended.append(summary(shop, run_workload(shop)))
        finally:
            shop.close()
    assert ended[0] == ended[1]
