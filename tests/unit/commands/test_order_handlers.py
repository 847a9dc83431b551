"""Order handlers against a real store: placement prices from the catalog, once per key."""

from __future__ import annotations

from typing import Any

import pytest

from commands.coupon import disable_coupon
from commands.order import cancel_order, confirm_order, place_order, request_cancellation
from commands.ports import Clock
from commands.product import discontinue_product
from domain.coupon import CouponNotApplicable, DisableCoupon, UnknownCoupon
from domain.order import (
    CancelOrder,
    ConfirmOrder,
    MixedCurrencies,
    Order,
    OrderAlreadyConfirmed,
    PlaceOrder,
    RequestCancellation,
    RequestedLine,
    UnknownOrder,
)
from domain.product import DiscontinueProduct, ProductDiscontinued, UnknownProduct
from domain.shared import ids
from domain.shared.base import InvalidInput
from eventstore.application import ShopStore
from tests.builders import new_order_id
from tests.unit.commands.setup import a_coupon, a_product, stored


def placing(**overrides: Any) -> PlaceOrder:
    fields: dict[str, Any] = {
        "customer_id": "cust-1",
        "idempotency_key": "key-1",
        "lines": [RequestedLine("SKU-1", 2), {"sku": "SKU-2", "quantity": 1}],
        "coupon_code": None,
        "payment_token": "tok_ok",
        "shipping_address": {"city": "Seoul"},
    } | overrides
    return PlaceOrder(**fields)


@pytest.fixture
def catalog(store: ShopStore) -> ShopStore:
    a_product(store, "SKU-1", price=12900)
    a_product(store, "SKU-2", price=5000)
    return store


def test_placing_stores_placed_priced_from_the_catalog(catalog: ShopStore, clock: Clock) -> None:
    accepted = place_order(placing(), catalog, clock)

    order_uuid = ids.new_order_uuid("cust-1", "key-1")
    assert accepted.stream_id == f"order-{order_uuid}"
    [placed] = stored(catalog, accepted.stream_id)
    assert isinstance(placed, Order.Placed)
    assert placed.order_id == order_uuid
    assert [(line["sku"], line["unit_price"]) for line in placed.lines] == [
        ("SKU-1", 12900),
        ("SKU-2", 5000),
    ]
    assert (placed.subtotal, placed.discount, placed.total) == (30800, 0, 30800)


def test_placing_again_with_the_same_key_places_one_order(catalog: ShopStore, clock: Clock) -> None:
    first = place_order(placing(), catalog, clock)
    again = place_order(placing(), catalog, clock)

    assert again.stream_id == first.stream_id
    assert (again.changed, again.position, again.version) == (False, None, 0)
    assert len(stored(catalog, first.stream_id)) == 1


def test_a_sku_named_twice_is_one_line(catalog: ShopStore, clock: Clock) -> None:
    lines = [RequestedLine("SKU-1", 1), RequestedLine("SKU-1", 2)]

    accepted = place_order(placing(lines=lines), catalog, clock)

    [placed] = stored(catalog, accepted.stream_id)
    assert [(line["sku"], line["quantity"]) for line in placed.lines] == [("SKU-1", 3)]


def test_a_coupon_discounts_the_order(catalog: ShopStore, clock: Clock) -> None:
    a_coupon(catalog, "SPRING10", value=10)

    accepted = place_order(placing(coupon_code="SPRING10"), catalog, clock)

    [placed] = stored(catalog, accepted.stream_id)
    assert (placed.discount, placed.total, placed.coupon_code) == (3080, 27720, "SPRING10")


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"lines": [RequestedLine("SKU-404", 1)]}, UnknownProduct),
        ({"lines": []}, InvalidInput),
        ({"lines": [{"sku": "SKU-1"}]}, InvalidInput),
        ({"lines": "SKU-1"}, InvalidInput),
        ({"lines": [RequestedLine("SKU-1", 1001)]}, InvalidInput),
        ({"coupon_code": "NOPE"}, UnknownCoupon),
        ({"coupon_code": "BIGSPEND"}, CouponNotApplicable),
        ({"coupon_code": "OFF"}, CouponNotApplicable),
        ({"payment_token": ""}, InvalidInput),
        ({"idempotency_key": ""}, InvalidInput),
        ({"lines": [RequestedLine("SKU-1", 1), RequestedLine("SKU-USD", 1)]}, MixedCurrencies),
    ],
)
def test_a_refused_placement_writes_nothing(
    catalog: ShopStore, clock: Clock, overrides: dict[str, Any], error: type[Exception]
) -> None:
    a_coupon(catalog, "BIGSPEND", min_order_total=1_000_000)
    a_coupon(catalog, "OFF")
    disable_coupon(DisableCoupon("OFF"), catalog)
    a_product(catalog, "SKU-USD", price=100, currency="USD")
    head = catalog.head()

    with pytest.raises(error):
        place_order(placing(**overrides), catalog, clock)

    assert catalog.head() == head


def test_a_discontinued_product_cannot_be_ordered(catalog: ShopStore, clock: Clock) -> None:
    discontinue_product(DiscontinueProduct("SKU-2"), catalog)

    with pytest.raises(ProductDiscontinued):
        place_order(placing(), catalog, clock)


def test_confirming_and_cancelling_follow_the_order_lifecycle(
    catalog: ShopStore, clock: Clock
) -> None:
    order_id = ids.new_order_uuid("cust-1", "key-1")
    place_order(placing(), catalog, clock)

    confirms = [confirm_order(ConfirmOrder(order_id), catalog) for _ in range(2)]
    with pytest.raises(OrderAlreadyConfirmed):
        cancel_order(CancelOrder(order_id, "PAYMENT_TIMEOUT"), catalog)
    requested = request_cancellation(RequestCancellation(order_id, "cust-1"), catalog)
    cancels = [cancel_order(CancelOrder(order_id, "CUSTOMER_REQUEST"), catalog) for _ in range(2)]

    assert [a.changed for a in (*confirms, requested, *cancels)] == [True, False, True, True, False]
    assert catalog.get(f"order-{order_id}").status == "CANCELLED"


def test_commands_on_an_unknown_order_are_refused(store: ShopStore) -> None:
    with pytest.raises(UnknownOrder):
        confirm_order(ConfirmOrder(new_order_id()), store)
    with pytest.raises(InvalidInput):
        cancel_order(CancelOrder("order-1", "CUSTOMER_REQUEST"), store)
