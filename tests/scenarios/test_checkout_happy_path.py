"""Checkout end to end, happy paths: every aggregate's final state after the saga settles."""

from __future__ import annotations

import pytest

from domain.checkout import Outcome
from domain.shared.context import metadata_of
from domain.shared.ids import checkout_stream, order_stream
from tests.scenarios.shop import Shop

pytestmark = pytest.mark.scenario


def test_an_order_is_reserved_paid_confirmed_and_its_stock_sold(shop: Shop) -> None:
    shop.stock("SKU-1", 10, price=1000)
    shop.stock("SKU-2", 5, price=2500)
    order = shop.place(("SKU-1", 3), ("SKU-2", 1))

    shop.settle()

    assert shop.order(order).status == "CONFIRMED"
    assert (shop.item("SKU-1").on_hand, shop.item("SKU-1").reserved) == (7, 0)
    assert (shop.item("SKU-2").on_hand, shop.item("SKU-2").reserved) == (4, 0)
    payment = shop.payment(order)
    assert (payment.status, payment.amount) == ("CAPTURED", 5500)
    assert shop.captures(order)["captures"] == 1
    assert shop.checkout(order).outcome == Outcome.CONFIRMED


def test_a_coupon_is_redeemed_and_the_discounted_total_captured(shop: Shop) -> None:
    shop.stock("SKU-1", 10, price=10000)
    shop.coupon("SPRING10", value=10)
    order = shop.place(("SKU-1", 2), coupon="SPRING10")

    shop.settle()

    assert shop.order(order).status == "CONFIRMED"
    assert shop.payment(order).amount == 18000
    assert list(shop.coupon_state("SPRING10").redemptions) == [order]


def test_a_fully_discounted_order_is_confirmed_with_no_payment_at_all(shop: Shop) -> None:
    shop.stock("SKU-1", 10, price=10000)
    shop.coupon("FREE", value=100)
    order = shop.place(("SKU-1", 2), coupon="FREE")

    shop.settle()

    assert shop.order(order).status == "CONFIRMED"
    assert shop.order(order).total == 0
    assert shop.payment(order) is None  # no stream: nothing was requested or captured
    assert shop.captures(order)["requests"] == 0
    assert shop.item("SKU-1").on_hand == 8


def test_a_flaky_gateway_is_retried_and_captures_once(shop: Shop) -> None:
    shop.stock("SKU-1", 1)
    order = shop.place(("SKU-1", 1), token="tok_flaky")

    shop.settle()

    assert shop.order(order).status == "CONFIRMED"
    assert shop.payment(order).status == "CAPTURED"
    assert shop.captures(order) == {"requests": 3, "failures": 2, "captures": 1, "repeats": 0}


def test_saga_events_carry_the_order_as_correlation_and_their_trigger_as_cause(
    shop: Shop,
) -> None:
    shop.stock("SKU-1", 1)
    order = shop.place(("SKU-1", 1))

    shop.settle()

    stored = list(shop.store.events.get(checkout_stream(order)))
    assert {metadata_of(e)["correlation_id"] for e in stored} == {order}
    assert metadata_of(stored[0])["causation_id"] == f"{order_stream(order)}@0"
    confirmed = list(shop.store.events.get(order_stream(order)))[-1]
    assert metadata_of(confirmed)["correlation_id"] == order
