"""Stock handlers against a real store: idempotent repeats write nothing."""

from __future__ import annotations

import pytest

from commands.inventory import (
    adjust_stock,
    commit_reservation,
    receive_stock,
    release_reservation,
    reserve_stock,
    return_stock,
)
from domain.inventory import (
    AdjustStock,
    CommitReservation,
    InsufficientStock,
    InventoryItem,
    ReceiveStock,
    ReleaseReservation,
    ReserveStock,
    ReturnStock,
    UnknownInventoryItem,
)
from domain.shared.base import InvalidInput
from eventstore.application import ShopStore
from tests.builders import new_order_id
from tests.unit.commands.setup import a_product, stock_of, stored


@pytest.fixture(autouse=True)
def catalog(store: ShopStore) -> None:
    """Stock is counted only for registered products."""
    for sku in ("SKU-1", "SKU-2"):
        a_product(store, sku)


def names(store: ShopStore, sku: str = "SKU-1") -> list[str]:
    return [type(e).__name__ for e in stored(store, f"inventory-{sku}")]


def test_the_first_receipt_starts_tracking_the_sku(store: ShopStore) -> None:
    accepted = receive_stock(ReceiveStock("SKU-1", 5), store)
    receive_stock(ReceiveStock("SKU-1", 3), store)

    assert names(store) == ["TrackingStarted", "StockReceived", "StockReceived"]
    assert (accepted.stream_id, accepted.version) == ("inventory-SKU-1", 1)
    assert store.get("inventory-SKU-1").on_hand == 8


def test_a_malformed_receipt_writes_nothing(store: ShopStore) -> None:
    head = store.head()
    with pytest.raises(InvalidInput):
        receive_stock(ReceiveStock("SKU-1", 0), store)

    assert store.head() == head


def test_adjusting_an_untracked_sku_is_refused(store: ShopStore) -> None:
    with pytest.raises(UnknownInventoryItem):
        adjust_stock(AdjustStock("SKU-1", 5, "found"), store)


def test_an_adjustment_below_reserved_writes_nothing(store: ShopStore) -> None:
    stock_of(store, "SKU-1", 5)
    reserve_stock(ReserveStock("SKU-1", new_order_id(), 4), store)

    with pytest.raises(InsufficientStock):
        adjust_stock(AdjustStock("SKU-1", -2, "count"), store)

    assert names(store)[-1] == "StockReserved"


def test_reserving_twice_for_one_order_reserves_once(store: ShopStore) -> None:
    stock_of(store, "SKU-1", 5)
    order = new_order_id()

    first = reserve_stock(ReserveStock("SKU-1", order, 2), store)
    again = reserve_stock(ReserveStock("SKU-1", order, 2), store)

    assert (first.changed, again.changed, again.position) == (True, False, None)
    assert names(store).count("StockReserved") == 1
    assert store.get("inventory-SKU-1").available == 3


def test_reserving_too_much_records_the_rejection(store: ShopStore) -> None:
    stock_of(store, "SKU-1", 1)
    order = new_order_id()

    accepted = reserve_stock(ReserveStock("SKU-1", order, 2), store)
    reserve_stock(ReserveStock("SKU-1", order, 2), store)

    assert accepted.changed
    assert names(store) == ["TrackingStarted", "StockReceived", "ReservationRejected"]


def test_reserving_an_untracked_sku_records_tracking_and_the_rejection(store: ShopStore) -> None:
    reserve_stock(ReserveStock("SKU-9", new_order_id(), 1), store)

    assert names(store, "SKU-9") == ["TrackingStarted", "ReservationRejected"]


def test_release_commit_and_return_run_once_each(store: ShopStore) -> None:
    stock_of(store, "SKU-1", 5)
    order = new_order_id()
    reserve_stock(ReserveStock("SKU-1", order, 2), store)

    commits = [commit_reservation(CommitReservation("SKU-1", order), store) for _ in range(2)]
    released = release_reservation(ReleaseReservation("SKU-1", order), store)
    returns = [return_stock(ReturnStock("SKU-1", order), store) for _ in range(2)]

    assert [a.changed for a in (*commits, released, *returns)] == [True, False, False, True, False]
    assert names(store)[-2:] == ["ReservationCommitted", "StockReturned"]
    assert store.get("inventory-SKU-1").on_hand == 5


def test_releasing_on_an_untracked_sku_is_a_no_op(store: ShopStore) -> None:
    head = store.head()
    accepted = release_reservation(ReleaseReservation("SKU-1", new_order_id()), store)

    assert (accepted.changed, accepted.version, accepted.position) == (False, -1, None)
    assert store.head() == head


def test_an_item_loads_the_same_from_a_snapshot() -> None:
    store = ShopStore(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, snapshot_intervals={InventoryItem: 2}
    )
    a_product(store, "SKU-1")
    stock_of(store, "SKU-1", 5)
    order = new_order_id()
    reserve_stock(ReserveStock("SKU-1", order, 2), store)
    reserve_stock(ReserveStock("SKU-1", new_order_id(), 9), store)

    item = store.get("inventory-SKU-1")

    assert list(store.snapshots.get("inventory-SKU-1"))  # type: ignore[union-attr]
    assert (item.on_hand, item.reserved, item.reservations) == (5, 2, {order: 2})
    assert reserve_stock(ReserveStock("SKU-1", order, 2), store).changed is False
    store.close()
