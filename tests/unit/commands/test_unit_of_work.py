"""The saga's unit of work: what it holds, what it forgets, and what one commit writes."""

from __future__ import annotations

import pytest

from commands.process_managers.unit import UnitOfWork
from domain.inventory import InventoryItem
from domain.shared.base import ConcurrencyConflict
from eventstore.application import ShopStore

ORDER = "5b0c8f3e-1111-4a2b-9c3d-0123456789ab"


def stocked(store: ShopStore, sku: str, quantity: int) -> InventoryItem:
    item = InventoryItem.start_tracking(sku)
    item.receive(quantity)
    store.save(item)
    return item


def test_saves_wait_for_the_commit_which_writes_them_in_one_append(store: ShopStore) -> None:
    stocked(store, "A", 5)
    stocked(store, "B", 5)
    appends: list[int] = []
    store.save_listeners.append(appends.append)
    unit = UnitOfWork(store)
    for sku in ("A", "B"):
        item = unit.get(f"inventory-{sku}")
        item.reserve(ORDER, 2)
        unit.save(item)

    assert store.get("inventory-A").available == 5  # nothing written yet
    assert unit.recorded("inventory-A", 2).order_id == ORDER
    unit.commit()

    assert appends == [2]
    assert store.get("inventory-A").available == store.get("inventory-B").available == 3


def test_later_commands_see_earlier_ones_and_the_next_batch_reads_nothing_back(
    store: ShopStore,
) -> None:
    stocked(store, "A", 5)
    unit = UnitOfWork(store)
    first = unit.get("inventory-A")
    first.reserve(ORDER, 2)
    unit.save(first)
    unit.commit()

    assert unit.get("inventory-A") is first  # held across the commit
    assert unit.get("inventory-A").available == 3


def test_a_stream_the_log_shows_moved_elsewhere_is_read_again(store: ShopStore) -> None:
    stocked(store, "A", 5)
    unit = UnitOfWork(store)
    held = unit.get("inventory-A")
    elsewhere = store.get("inventory-A")
    elsewhere.receive(10)
    store.save(elsewhere)
    [received] = list(store.events.get("inventory-A", gt=held.version))

    unit.saw(received)

    assert unit.get("inventory-A").available == 15


def test_a_stream_taken_as_empty_is_read_again_once_the_log_shows_it(store: ShopStore) -> None:
    item = stocked(store, "A", 5)
    unit = UnitOfWork(store)
    unit.absent("inventory-A")
    assert unit.find("inventory-A") is None

    unit.saw(next(iter(store.events.get(item.id))))

    assert unit.find("inventory-A").available == 5


def test_a_stale_commit_writes_nothing_and_forgets_what_it_held(store: ShopStore) -> None:
    stocked(store, "A", 5)
    stocked(store, "B", 5)
    unit = UnitOfWork(store)
    for sku in ("A", "B"):
        item = unit.get(f"inventory-{sku}")
        item.reserve(ORDER, 1)
        unit.save(item)
    elsewhere = store.get("inventory-B")
    elsewhere.receive(1)
    store.save(elsewhere)

    with pytest.raises(ConcurrencyConflict):
        unit.commit()

    assert store.get("inventory-A").available == 5  # A's reservation went nowhere
    assert unit.get("inventory-B").available == 6  # read again, not the stale copy


def test_writing_through_appends_at_once_and_holds_what_it_saved(store: ShopStore) -> None:
    stocked(store, "A", 5)
    unit = UnitOfWork(store, write_through=True)
    item = unit.get("inventory-A")
    item.reserve(ORDER, 2)
    unit.save(item)

    assert store.get("inventory-A").available == 3
    assert unit.get("inventory-A") is item


def test_writing_through_drops_a_copy_whose_append_failed(store: ShopStore) -> None:
    stocked(store, "A", 5)
    unit = UnitOfWork(store, write_through=True)
    stale = unit.get("inventory-A")
    elsewhere = store.get("inventory-A")
    elsewhere.receive(1)
    store.save(elsewhere)
    stale.reserve(ORDER, 2)

    with pytest.raises(ConcurrencyConflict):
        unit.save(stale)

    assert unit.get("inventory-A").available == 6  # read again, not the stale copy
