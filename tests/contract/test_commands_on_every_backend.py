"""Repeated commands are harmless on every event store backend (deterministic ids)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from app.bootstrap import bootstrap
from domain.coupon import DefineCoupon, RedeemCoupon
from domain.inventory import ReceiveStock, ReserveStock
from domain.order import PlaceOrder
from domain.product import RegisterProduct
from domain.shared.base import InvalidInput


@pytest.fixture
def container(backend, settings_for):
    container = bootstrap(settings_for(backend))
    yield container
    container.close()


def stream(container, stream_id: str) -> list:
    return list(container.store.events.get(stream_id))


def a_product_in_stock(container, quantity: int = 10) -> str:
    sku = f"SKU-{uuid4().hex[:8]}"
    container.bus.handle(RegisterProduct(sku, "Lamp", "A lamp", "home", "Acme", 4500, "EUR", {}))
    container.bus.handle(ReceiveStock(sku, quantity))
    return sku


def test_placing_an_order_twice_with_one_key_records_one_order(container):
    sku = a_product_in_stock(container)
    place = PlaceOrder("cust-1", uuid4().hex, [{"sku": sku, "quantity": 2}], None, "tok_ok")

    first, again = container.bus.handle(place), container.bus.handle(place)

    assert first.stream_id == again.stream_id
    assert first.stream_id.startswith("order-")
    assert (first.changed, again.changed) == (True, False)
    assert len(stream(container, first.stream_id)) == 1


def test_reserving_twice_for_one_order_and_sku_holds_the_stock_once(container):
    sku, order = a_product_in_stock(container, 10), str(uuid4())

    container.bus.handle(ReserveStock(sku, order, 3))
    again = container.bus.handle(ReserveStock(sku, order, 3))

    item = container.store.get(f"inventory-{sku}")
    assert again.changed is False
    assert (item.on_hand, item.reserved) == (10, 3)


def test_redeeming_a_coupon_twice_for_one_order_counts_once(container):
    code, order = f"C{uuid4().hex[:8]}", str(uuid4())
    container.bus.handle(DefineCoupon(code, "percent", 10))
    container.bus.handle(RedeemCoupon(code, order, "cust-1", 10000))
    again = container.bus.handle(RedeemCoupon(code, order, "cust-1", 10000))

    redeemed = [e for e in stream(container, f"coupon-{code}") if type(e).__name__ == "Redeemed"]
    assert again.changed is False
    assert len(redeemed) == 1


def test_bad_input_is_refused_with_a_typed_error_and_writes_nothing(container):
    sku = a_product_in_stock(container)
    head = container.store.head()

    with pytest.raises(InvalidInput):
        container.bus.handle(ReceiveStock(sku, 0))
    with pytest.raises(InvalidInput):
        container.bus.handle(RegisterProduct("bad sku!", "x", "", "c", "b", 100, "EUR", {}))

    assert container.store.head() == head
