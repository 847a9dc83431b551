"""Product: given past events, when a command method runs, then these new events."""

from __future__ import annotations

from typing import Any

import pytest

from domain.product import Product, ProductDiscontinued
from domain.shared.base import InvalidInput
from tests.builders import (
    given,
    product_details_changed,
    product_discontinued,
    product_price_changed,
    product_registered,
)

DETAILS: dict[str, Any] = {
    "name": "Widget",
    "description": "A widget",
    "category": "tools",
    "brand": "Acme",
    "attributes": {"colour": "red"},
}


def register(**overrides: Any) -> Product:
    fields = {"sku": "SKU-1", "price": 12900, "currency": "KRW", **DETAILS, **overrides}
    return Product.register(**fields)


def test_registering_a_product_records_registered_with_its_details() -> None:
    product = register()

    [new_event] = product.collect_events()
    assert isinstance(new_event, Product.Registered)
    assert new_event.originator_id == "product-SKU-1"
    assert (new_event.sku, new_event.price, new_event.currency) == ("SKU-1", 12900, "KRW")
    assert new_event.attributes == {"colour": "red"}
    assert product.is_orderable


@pytest.mark.parametrize(
    "overrides",
    [
        {"price": 0},
        {"price": -5},
        {"price": 1.5},
        {"price": True},
        {"currency": "krw"},
        {"sku": "bad sku"},
        {"name": ""},
        {"name": "x" * 201},
        {"description": "x" * 5001},
        {"category": ""},
        {"brand": "b" * 101},
        {"attributes": {f"k{i}": "v" for i in range(51)}},
        {"attributes": {"k": 1}},
        {"attributes": ["not", "a", "map"]},
    ],
)
def test_registering_with_malformed_values_is_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        register(**overrides)


def test_changing_some_details_records_the_full_new_details() -> None:
    product = given(product_registered("SKU-1"))

    product.change_details(name="Better widget", attributes={"colour": "blue"})

    [new_event] = product.collect_events()
    assert isinstance(new_event, Product.DetailsChanged)
    assert new_event.name == "Better widget"
    assert (new_event.category, new_event.brand) == ("tools", "Acme")
    assert new_event.attributes == {"colour": "blue"}


def test_changing_details_to_what_they_are_records_nothing() -> None:
    product = given(product_registered("SKU-1"), product_details_changed("SKU-1", name="Gadget"))

    product.change_details(name="Gadget")

    assert product.collect_events() == []


def test_changing_a_detail_to_a_malformed_value_is_refused() -> None:
    product = given(product_registered("SKU-1"))

    with pytest.raises(InvalidInput):
        product.change_details(category="")

    assert product.collect_events() == []


def test_changing_the_price_records_the_new_and_previous_price() -> None:
    product = given(product_registered("SKU-1", price=12900))

    product.change_price(9900)

    [new_event] = product.collect_events()
    assert isinstance(new_event, Product.PriceChanged)
    assert (new_event.price, new_event.previous_price) == (9900, 12900)


def test_setting_the_same_price_records_nothing() -> None:
    product = given(product_registered("SKU-1"), product_price_changed("SKU-1", 9900, 12900))

    product.change_price(9900)

    assert product.collect_events() == []


def test_a_price_of_zero_is_refused() -> None:
    product = given(product_registered("SKU-1"))

    with pytest.raises(InvalidInput):
        product.change_price(0)

    assert product.collect_events() == []


def test_discontinuing_records_discontinued_and_stops_ordering() -> None:
    product = given(product_registered("SKU-1"))

    product.discontinue()

    [new_event] = product.collect_events()
    assert isinstance(new_event, Product.Discontinued)
    assert not product.is_orderable


def test_discontinuing_twice_records_nothing() -> None:
    product = given(product_registered("SKU-1"), product_discontinued("SKU-1"))

    product.discontinue()

    assert product.collect_events() == []


def test_a_discontinued_product_refuses_a_price_change() -> None:
    product = given(product_registered("SKU-1"), product_discontinued("SKU-1"))

    with pytest.raises(ProductDiscontinued):
        product.change_price(100)

    assert product.collect_events() == []


def test_a_discontinued_product_refuses_a_details_change() -> None:
    product = given(product_registered("SKU-1"), product_discontinued("SKU-1"))

    with pytest.raises(ProductDiscontinued):
        product.change_details(name="New name")

    assert product.collect_events() == []
