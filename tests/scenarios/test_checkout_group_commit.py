"""Group commit: a batch of orders costs the saga a few transactions, not one per command."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from commands.process_managers.unit import UnitOfWork
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


@pytest.mark.parametrize(
    ("writes_at", "step_by_step"),
    [((1,), False), ((1, 4), True)],
    ids=["redone-reading-first", "stale-again-redone-step-by-step"],
)
def test_a_stream_changed_under_the_batch_is_redone(
    backend: str,
    settings_for,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    writes_at,
    step_by_step,
) -> None:
    """Another writer moves a stream the unit holds: the batch is redone reading every
    stream first, as one commit; if the stream moves again meanwhile, step by step."""
    holder: list[Shop] = []
    reserves: list[str] = []

    def another_writer(point: str) -> None:
        # Stock arrives through the API while the saga's unit holds the reservation
        # (three reserves an attempt: the first of the first attempt, or of the first two).
        if point == "sent ReserveStock":
            reserves.append(point)
            if len(reserves) in writes_at:
                holder[0].bus.handle(ReceiveStock("SKU-1", 5))

    shop = Shop(settings_for(backend), crash=another_writer)
    holder.append(shop)
    try:
        shop.stock("SKU-1", 10)
        orders = [shop.place(("SKU-1", 2), customer=f"c{n}") for n in range(3)]

        stepped = _counting_steps_by_step(monkeypatch)
        with caplog.at_level(logging.INFO, logger="commands.process_managers.checkout"):
            shop.settle()

        assert "redoing it" in caplog.text
        assert bool(stepped) is step_by_step
        assert [shop.order(order).status for order in orders] == ["CONFIRMED"] * 3
        on_hand = 10 + 5 * len(writes_at) - 6
        assert (shop.item("SKU-1").on_hand, shop.item("SKU-1").reserved) == (on_hand, 0)
        stream = list(shop.store.events.get(inventory_stream("SKU-1")))
        reserved = [e.order_id for e in stream if isinstance(e, InventoryItem.StockReserved)]
        assert sorted(reserved) == sorted(orders)  # each once: nothing of the stale unit
        assert all(shop.captures(order)["captures"] == 1 for order in orders)
    finally:
        shop.close()


def _counting_steps_by_step(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each time a unit is made to write through (one append per command), a 1."""
    stepped: list[int] = []
    through = UnitOfWork.writing_through

    def counted(unit: UnitOfWork) -> Any:
        stepped.append(1)
        return through(unit)

    monkeypatch.setattr(UnitOfWork, "writing_through", counted)
    return stepped


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


def test_a_replay_behind_the_checkpoint_is_redone_as_one_commit(
    shop: Shop, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Orders whose checkouts exist, delivered again (the checkpoint was saved a while
    before a restart): the unit's guess that their streams are new meets the store, and
    the batch is redone reading them first, not one command at a time."""
    shop.stock("SKU-1", 50)
    orders = [shop.place(("SKU-1", 1), customer=f"c{n}") for n in range(10)]
    shop.settle()
    head = shop.store.head()
    for manager in shop.saga.managers:
        manager.state.forget_position(manager.name)
        manager.forget()

    stepped = _counting_steps_by_step(monkeypatch)
    with caplog.at_level(logging.INFO, logger="commands.process_managers.checkout"):
        shop.settle()

    assert "redoing it" in caplog.text
    assert stepped == []
    assert shop.store.head() == head  # the replay wrote nothing
    assert all(shop.order(order).status == "CONFIRMED" for order in orders)
