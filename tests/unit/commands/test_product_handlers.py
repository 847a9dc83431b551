"""Catalog handlers against a real store."""

from __future__ import annotations

from dataclasses import replace

import pytest

from commands.product import (
    change_price,
    change_product_details,
    discontinue_product,
    register_product,
)
from domain.product import (
    ChangePrice,
    ChangeProductDetails,
    DiscontinueProduct,
    Product,
    ProductAlreadyRegistered,
    ProductDiscontinued,
    RegisterProduct,
    UnknownProduct,
)
from domain.shared.base import InvalidInput
from eventstore.application import ShopStore
from tests.unit.commands.setup import a_product, stored

REGISTER = RegisterProduct(
    "SKU-1", "Widget", "A widget", "tools", "Acme", 12900, "KRW", {"colour": "red"}
)


def test_registering_stores_registered_and_returns_its_position(store: ShopStore) -> None:
    accepted = register_product(REGISTER, store)

    [registered] = stored(store, "product-SKU-1")
    assert isinstance(registered, Product.Registered)
    assert (accepted.stream_id, accepted.version, accepted.changed) == ("product-SKU-1", 0, True)
    assert accepted.position == store.head()


def test_registering_a_known_sku_otherwise_is_refused_and_writes_nothing(
    store: ShopStore,
) -> None:
    register_product(REGISTER, store)

    with pytest.raises(ProductAlreadyRegistered):
        register_product(replace(REGISTER, name="Gadget"), store)

    assert len(stored(store, "product-SKU-1")) == 1


def test_registering_a_malformed_product_writes_nothing(store: ShopStore) -> None:
    with pytest.raises(InvalidInput):
        register_product(RegisterProduct("SKU-1", "", "", "tools", "Acme", 1, "KRW"), store)

    assert store.head() == 0


def test_changing_details_keeps_the_fields_not_given(store: ShopStore) -> None:
    register_product(REGISTER, store)

    change_product_details(ChangeProductDetails("SKU-1", brand="Globex"), store)

    product = store.get("product-SKU-1")
    assert (product.name, product.brand, product.attributes) == (
        "Widget",
        "Globex",
        {"colour": "red"},
    )


def test_changing_the_price_twice_to_the_same_value_writes_once(store: ShopStore) -> None:
    a_product(store, price=12900)

    first = change_price(ChangePrice("SKU-1", 9900), store)
    again = change_price(ChangePrice("SKU-1", 9900), store)

    assert (first.changed, again.changed, again.position) == (True, False, None)
    assert again.version == first.version == 1


def test_commands_on_an_unknown_sku_are_refused_as_unknown_product(store: ShopStore) -> None:
    with pytest.raises(UnknownProduct):
        change_price(ChangePrice("SKU-404", 100), store)
    with pytest.raises(UnknownProduct):
        discontinue_product(DiscontinueProduct("SKU-404"), store)

    assert store.head() == 0


def test_a_discontinued_product_refuses_a_price_change_and_writes_nothing(
    store: ShopStore,
) -> None:
    a_product(store)
    discontinue_product(DiscontinueProduct("SKU-1"), store)

    with pytest.raises(ProductDiscontinued):
        change_price(ChangePrice("SKU-1", 100), store)

    assert [type(e).__name__ for e in stored(store, "product-SKU-1")] == [
        "Registered",
        "Discontinued",
    ]
