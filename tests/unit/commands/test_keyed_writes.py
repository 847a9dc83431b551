"""Retries and preconditions: request ids, repeated definitions, and expected versions."""

from __future__ import annotations

import pytest

from commands.coupon import define_coupon, disable_coupon
from commands.handling import VersionMismatch
from commands.inventory import adjust_stock, receive_stock
from commands.product import (
    change_price,
    change_product_details,
    discontinue_product,
    register_product,
)
from domain.coupon import Coupon, CouponAlreadyDefined, DefineCoupon, DisableCoupon
from domain.inventory import AdjustStock, IdempotencyKeyReused, ReceiveStock
from domain.product import (
    ChangePrice,
    ChangeProductDetails,
    DiscontinueProduct,
    ProductAlreadyRegistered,
    RegisterProduct,
)
from eventstore.application import ShopStore
from tests.unit.commands.setup import a_coupon, a_product, stock_of


def registration(price: int = 12900) -> RegisterProduct:
    return RegisterProduct("SKU-1", "Product SKU-1", "", "tools", "Acme", price, "KRW", {})


def test_a_receipt_repeated_with_its_request_id_answers_the_first_version(
    store: ShopStore,
) -> None:
    a_product(store, "SKU-1")
    a_product(store, "SKU-2")
    first = receive_stock(ReceiveStock("SKU-1", 5, request_id="r1"), store)
    receive_stock(ReceiveStock("SKU-1", 2), store)
    head = store.head()

    again = receive_stock(ReceiveStock("SKU-1", 5, request_id="r1"), store)

    assert (again.stream_id, again.version, again.changed) == (first.stream_id, 1, False)
    assert store.head() == head
    assert store.get("inventory-SKU-1").on_hand == 7


def test_a_request_id_with_other_values_is_refused(store: ShopStore) -> None:
    a_product(store, "SKU-1")
    a_product(store, "SKU-2")
    receive_stock(ReceiveStock("SKU-1", 5, request_id="r1"), store)
    adjust_stock(AdjustStock("SKU-1", -1, "broken", request_id="r2"), store)

    with pytest.raises(IdempotencyKeyReused):
        receive_stock(ReceiveStock("SKU-1", 6, request_id="r1"), store)
    with pytest.raises(IdempotencyKeyReused):
        adjust_stock(AdjustStock("SKU-1", -1, "lost", request_id="r2"), store)
    assert store.get("inventory-SKU-1").on_hand == 4


def test_an_adjustment_repeat_is_a_no_op_even_when_it_would_now_be_refused(
    store: ShopStore,
) -> None:
    a_product(store, "SKU-1")
    a_product(store, "SKU-2")
    stock_of(store, "SKU-1", 5)
    first = adjust_stock(AdjustStock("SKU-1", -5, "count", request_id="r1"), store)

    again = adjust_stock(AdjustStock("SKU-1", -5, "count", request_id="r1"), store)

    assert (again.version, again.changed) == (first.version, False)
    assert store.get("inventory-SKU-1").on_hand == 0


def test_request_ids_survive_a_snapshot() -> None:
    from domain.inventory import InventoryItem

    store = ShopStore({"PERSISTENCE_MODULE": "eventsourcing.popo"}, {InventoryItem: 2})
    a_product(store, "SKU-1")
    for n in range(4):
        receive_stock(ReceiveStock("SKU-1", 1, request_id=f"r{n}"), store)

    again = receive_stock(ReceiveStock("SKU-1", 1, request_id="r1"), store)

    assert list(store.snapshots.get("inventory-SKU-1"))  # type: ignore[union-attr]
    assert (again.version, again.changed) == (2, False)
    store.close()


def test_a_stale_expected_version_is_refused_before_anything_is_recorded(
    store: ShopStore,
) -> None:
    a_product(store, "SKU-1")
    a_product(store, "SKU-2")
    stock_of(store, "SKU-1", 5)  # version 1
    head = store.head()

    with pytest.raises(VersionMismatch):
        receive_stock(ReceiveStock("SKU-1", 1, expected_version=0), store)
    with pytest.raises(VersionMismatch):
        adjust_stock(AdjustStock("SKU-1", 1, "found", expected_version=2), store)
    with pytest.raises(VersionMismatch):  # no stream yet: no version can match
        receive_stock(ReceiveStock("SKU-2", 1, expected_version=0), store)

    assert store.head() == head
    assert receive_stock(ReceiveStock("SKU-1", 1, expected_version=1), store).version == 2


def test_product_and_coupon_writes_check_the_expected_version(store: ShopStore) -> None:
    a_product(store)
    a_coupon(store)

    with pytest.raises(VersionMismatch):
        change_price(ChangePrice("SKU-1", 100, expected_version=1), store)
    with pytest.raises(VersionMismatch):
        change_product_details(ChangeProductDetails("SKU-1", name="x", expected_version=3), store)
    with pytest.raises(VersionMismatch):
        discontinue_product(DiscontinueProduct("SKU-1", expected_version=2), store)
    with pytest.raises(VersionMismatch):
        disable_coupon(DisableCoupon("SPRING10", expected_version=1), store)

    assert change_price(ChangePrice("SKU-1", 100, expected_version=0), store).version == 1
    assert disable_coupon(DisableCoupon("SPRING10", expected_version=0), store).changed


def test_a_repeated_registration_answers_version_0_even_after_a_price_change(
    store: ShopStore,
) -> None:
    register_product(registration(), store)
    change_price(ChangePrice("SKU-1", 100), store)
    head = store.head()

    again = register_product(registration(), store)

    assert (again.stream_id, again.version, again.changed) == ("product-SKU-1", 0, False)
    assert store.head() == head
    with pytest.raises(ProductAlreadyRegistered):
        register_product(registration(price=100), store)


def test_a_repeated_definition_answers_version_0_and_other_rules_are_refused(
    store: ShopStore,
) -> None:
    a_coupon(store, max_redemptions=5)

    again = define_coupon(DefineCoupon("SPRING10", "percent", 10, max_redemptions=5), store)

    assert (again.version, again.changed, store.head()) == (0, False, 1)
    with pytest.raises(CouponAlreadyDefined):
        define_coupon(DefineCoupon("SPRING10", "percent", 10), store)


def test_repeated_disable_and_discontinue_answer_the_first_version_despite_if_match(
    store: ShopStore,
) -> None:
    a_product(store)
    a_coupon(store)
    disabled = disable_coupon(DisableCoupon("SPRING10"), store)
    discontinued = discontinue_product(DiscontinueProduct("SKU-1"), store)

    coupon_again = disable_coupon(DisableCoupon("SPRING10", expected_version=0), store)
    product_again = discontinue_product(DiscontinueProduct("SKU-1", expected_version=0), store)

    assert (coupon_again.version, coupon_again.changed) == (disabled.version, False)
    assert (product_again.version, product_again.changed) == (discontinued.version, False)
    assert store.get("coupon-SPRING10").disabled_version == 1
    assert isinstance(store.get("coupon-SPRING10"), Coupon)
