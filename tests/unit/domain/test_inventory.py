"""InventoryItem: given past events, when a command method runs, then these new events."""

from __future__ import annotations

import pytest

from domain.inventory import InsufficientStock, InventoryItem
from domain.shared.base import InvalidInput
from tests.builders import (
    given,
    new_order_id,
    reservation_committed,
    reservation_rejected,
    reservation_released,
    stock_adjusted,
    stock_received,
    stock_reserved,
    stock_returned,
    tracking_started,
)

SKU = "SKU-1"


def item_with(on_hand: int, *later: object) -> InventoryItem:
    return given(tracking_started(SKU), stock_received(SKU, on_hand), *later)  # type: ignore[no-any-return]


def test_starting_to_track_a_sku_records_tracking_started_with_nothing_on_hand() -> None:
    item = InventoryItem.start_tracking(SKU)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.TrackingStarted)
    assert (new_event.originator_id, new_event.sku) == ("inventory-SKU-1", SKU)
    assert (item.on_hand, item.reserved, item.available) == (0, 0, 0)


def test_receiving_stock_records_stock_received_and_raises_on_hand() -> None:
    item = given(tracking_started(SKU))

    item.receive(7)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.StockReceived)
    assert new_event.quantity == 7
    assert item.on_hand == 7


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, "5", True])
def test_receiving_a_malformed_quantity_is_refused(quantity: object) -> None:
    item = given(tracking_started(SKU))

    with pytest.raises(InvalidInput):
        item.receive(quantity)  # type: ignore[arg-type]

    assert item.collect_events() == []


def test_adjusting_stock_records_the_delta_and_reason() -> None:
    item = item_with(10)

    item.adjust(-3, "damaged")

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.StockAdjusted)
    assert (new_event.delta, new_event.reason) == (-3, "damaged")
    assert item.on_hand == 7


def test_an_adjustment_below_what_is_reserved_is_refused() -> None:
    order = new_order_id()
    item = item_with(10, stock_reserved(SKU, order, 8, version=2))

    with pytest.raises(InsufficientStock):
        item.adjust(-3, "count")

    assert item.collect_events() == []


def test_an_adjustment_without_a_reason_is_refused() -> None:
    item = item_with(10)

    with pytest.raises(InvalidInput):
        item.adjust(1, "")

    assert item.collect_events() == []


def test_reserving_available_stock_records_stock_reserved() -> None:
    item = item_with(10)
    order = new_order_id()

    item.reserve(order, 4)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.StockReserved)
    assert (new_event.order_id, new_event.quantity) == (order, 4)
    assert (item.on_hand, item.reserved, item.available) == (10, 4, 6)


def test_reserving_again_for_the_same_order_records_nothing() -> None:
    order = new_order_id()
    item = item_with(10, stock_reserved(SKU, order, 4, version=2))

    item.reserve(order, 4)

    assert item.collect_events() == []
    assert item.reserved == 4


def test_reserving_more_than_available_records_reservation_rejected() -> None:
    item = item_with(3, stock_reserved(SKU, new_order_id(), 2, version=2))
    order = new_order_id()

    item.reserve(order, 2)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.ReservationRejected)
    assert (new_event.order_id, new_event.requested, new_event.available) == (order, 2, 1)
    assert item.reserved == 2


def test_reserving_again_after_a_rejection_records_nothing() -> None:
    order = new_order_id()
    item = item_with(
        1, reservation_rejected(SKU, order, 5, 1, version=2), stock_received(SKU, 10, version=3)
    )

    item.reserve(order, 5)

    assert item.collect_events() == []


def test_reserving_for_an_order_whose_stock_was_released_records_nothing() -> None:
    order = new_order_id()
    item = item_with(
        10, stock_reserved(SKU, order, 4, version=2), reservation_released(SKU, order, 4, version=3)
    )

    item.reserve(order, 4)

    assert item.collect_events() == []


@pytest.mark.parametrize(("order", "quantity"), [("not-a-uuid", 1), (new_order_id(), 0)])
def test_reserving_with_malformed_values_is_refused(order: str, quantity: int) -> None:
    item = item_with(10)

    with pytest.raises(InvalidInput):
        item.reserve(order, quantity)

    assert item.collect_events() == []


def test_releasing_a_reservation_records_reservation_released() -> None:
    order = new_order_id()
    item = item_with(10, stock_reserved(SKU, order, 4, version=2))

    item.release(order)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.ReservationReleased)
    assert (new_event.order_id, new_event.quantity) == (order, 4)
    assert (item.reserved, item.available) == (0, 10)


def test_releasing_what_is_not_reserved_records_nothing() -> None:
    order = new_order_id()
    item = item_with(
        10, stock_reserved(SKU, order, 4, version=2), reservation_released(SKU, order, 4, version=3)
    )

    item.release(order)
    item.release(new_order_id())

    assert item.collect_events() == []


def test_committing_a_reservation_records_it_and_takes_the_stock_off_hand() -> None:
    order = new_order_id()
    item = item_with(10, stock_reserved(SKU, order, 4, version=2))

    item.commit(order)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.ReservationCommitted)
    assert (new_event.order_id, new_event.quantity) == (order, 4)
    assert (item.on_hand, item.reserved, item.available) == (6, 0, 6)


def test_committing_twice_records_nothing() -> None:
    order = new_order_id()
    item = item_with(
        10,
        stock_reserved(SKU, order, 4, version=2),
        reservation_committed(SKU, order, 4, version=3),
    )

    item.commit(order)
    item.release(order)

    assert item.collect_events() == []


def test_returning_committed_stock_records_stock_returned() -> None:
    order = new_order_id()
    item = item_with(
        10,
        stock_reserved(SKU, order, 4, version=2),
        reservation_committed(SKU, order, 4, version=3),
    )

    item.return_stock(order)

    [new_event] = item.collect_events()
    assert isinstance(new_event, InventoryItem.StockReturned)
    assert (new_event.order_id, new_event.quantity) == (order, 4)
    assert (item.on_hand, item.available) == (10, 10)


def test_returning_twice_or_without_a_commit_records_nothing() -> None:
    order = new_order_id()
    item = item_with(
        10,
        stock_reserved(SKU, order, 4, version=2),
        reservation_committed(SKU, order, 4, version=3),
        stock_returned(SKU, order, 4, version=4),
    )

    item.return_stock(order)
    item.reserve(order, 4)

    assert item.collect_events() == []


def test_an_adjustment_may_take_on_hand_to_zero_when_nothing_is_reserved() -> None:
    item = item_with(5, stock_adjusted(SKU, -2, version=2))

    item.adjust(-3, "count")

    assert item.on_hand == 0
