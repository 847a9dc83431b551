"""Order ids are injective in (customer, key), on every backend; orders placed under the old
derivation are still found by their key, and only by the customer who placed them.

`store` runs on every backend available (tests/conftest.py)."""

from __future__ import annotations

import pytest

from commands.order import place_order
from commands.ports import Clock
from domain.order import Order, PlaceOrder, PricedLine, RequestedLine
from domain.shared import ids
from domain.shared.base import IdempotencyKeyReused
from eventstore.application import ShopStore
from tests.unit.commands.setup import NOW, a_product


def placing(customer: str, key: str, quantity: int = 1) -> PlaceOrder:
    return PlaceOrder(customer, key, [RequestedLine("SKU-1", quantity)], None, "tok_ok")


def placed_the_old_way(store: ShopStore, customer: str, key: str) -> str:
    """An order stored as releases before the encoded derivation stored it."""
    order_uuid = ids.legacy_order_uuid(customer, key)
    line = PricedLine("SKU-1", "Product SKU-1", 1, 12900, "KRW")
    store.save(Order.place(order_uuid, customer, [line], 0, None, "tok_ok", None))
    return order_uuid


@pytest.fixture
def clock() -> Clock:
    return lambda: NOW


@pytest.fixture
def catalog(store: ShopStore) -> ShopStore:
    a_product(store, "SKU-1", price=12900)
    return store


def test_ids_and_keys_that_read_alike_name_two_orders(catalog: ShopStore, clock: Clock) -> None:
    vic = place_order(placing("vic", "x/orders/k"), catalog, clock)
    other = place_order(placing("vic/orders/x", "k"), catalog, clock)

    assert vic.changed
    assert other.changed
    assert vic.stream_id != other.stream_id
    assert catalog.get(vic.stream_id).customer_id == "vic"
    assert catalog.get(other.stream_id).customer_id == "vic/orders/x"


def test_plain_ids_and_keys_keep_the_uuid_they_always_had() -> None:
    assert ids.new_order_uuid("cust-1", "key-1") == ids.legacy_order_uuid("cust-1", "key-1")


def test_an_order_placed_under_the_old_id_is_found_by_its_key(
    catalog: ShopStore, clock: Clock
) -> None:
    old_uuid = placed_the_old_way(catalog, "vic", "x/orders/k")

    again = place_order(placing("vic", "x/orders/k"), catalog, clock)

    assert not again.changed
    assert again.stream_id == ids.order_stream(old_uuid)


def test_someone_elses_order_under_the_old_id_is_no_answer(
    catalog: ShopStore, clock: Clock
) -> None:
    theirs = placed_the_old_way(catalog, "vic/orders/x", "k")

    mine = place_order(placing("vic", "x/orders/k"), catalog, clock)

    assert mine.changed
    assert mine.stream_id != ids.order_stream(theirs)
    assert catalog.get(mine.stream_id).customer_id == "vic"
    assert catalog.get(ids.order_stream(theirs)).customer_id == "vic/orders/x"


def test_a_key_reused_for_another_order_is_refused(catalog: ShopStore, clock: Clock) -> None:
    first = place_order(placing("vic", "k-1", quantity=1), catalog, clock)

    with pytest.raises(IdempotencyKeyReused):
        place_order(placing("vic", "k-1", quantity=2), catalog, clock)

    assert catalog.get(first.stream_id).version == first.version
