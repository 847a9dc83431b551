"""Checkout end to end, every compensation: what each aggregate ends up holding."""

from __future__ import annotations

import pytest

from domain.checkout import Outcome
from domain.shared.ids import payment_stream
from tests.scenarios.shop import Shop

pytestmark = pytest.mark.scenario


def stock_of(shop: Shop, sku: str) -> tuple[int, int]:
    item = shop.item(sku)
    return item.on_hand, item.reserved


def cancelled_with(shop: Shop, order: str, reason: str) -> None:
    placed = shop.order(order)
    assert (placed.status, placed.cancel_reason) == ("CANCELLED", reason)
    checkout = shop.checkout(order)
    assert (checkout.outcome, checkout.cancel_reason) == (Outcome.CANCELLED, reason)


def test_a_line_out_of_stock_releases_the_others_and_cancels(shop: Shop) -> None:
    shop.stock("SKU-1", 10)
    shop.stock("SKU-2", 1)
    shop.coupon("SPRING10")
    order = shop.place(("SKU-1", 2), ("SKU-2", 5), coupon="SPRING10")

    shop.settle()

    cancelled_with(shop, order, "OUT_OF_STOCK")
    assert stock_of(shop, "SKU-1") == (10, 0)
    assert stock_of(shop, "SKU-2") == (1, 0)
    assert shop.coupon_state("SPRING10").redemptions == {}
    assert shop.payment(order) is None


def test_a_rejected_coupon_releases_the_stock_and_cancels(shop: Shop) -> None:
    shop.stock("SKU-1", 10)
    shop.coupon("ONCE", max_redemptions=1)
    first = shop.place(("SKU-1", 1), coupon="ONCE")
    second = shop.place(("SKU-1", 2), coupon="ONCE", customer="cust-2")

    shop.settle()

    assert shop.order(first).status == "CONFIRMED"
    cancelled_with(shop, second, "COUPON_REJECTED")
    assert stock_of(shop, "SKU-1") == (9, 0)
    assert list(shop.coupon_state("ONCE").redemptions) == [first]
    assert shop.payment(second) is None


def test_a_declined_payment_releases_stock_reverts_the_coupon_and_cancels(shop: Shop) -> None:
    shop.stock("SKU-1", 10)
    shop.coupon("SPRING10")
    order = shop.place(("SKU-1", 4), coupon="SPRING10", token="tok_declined")

    shop.settle()

    cancelled_with(shop, order, "PAYMENT_DECLINED")
    assert stock_of(shop, "SKU-1") == (10, 0)
    assert shop.coupon_state("SPRING10").redemptions == {}
    assert shop.payment(order).status == "DECLINED"
    assert shop.captures(order)["captures"] == 0


def test_no_answer_within_the_timeout_compensates_and_a_late_capture_is_refunded(
    shop: Shop,
) -> None:
    shop.stock("SKU-1", 10)
    shop.coupon("SPRING10")
    order = shop.place(("SKU-1", 1), coupon="SPRING10", token="tok_timeout")
    shop.settle()
    assert shop.order(order).status == "PENDING"
    assert stock_of(shop, "SKU-1") == (10, 1)

    shop.clock.advance(29)
    shop.settle()
    assert shop.order(order).status == "PENDING"

    shop.clock.advance(2)
    shop.settle()
    cancelled_with(shop, order, "PAYMENT_TIMEOUT")
    assert stock_of(shop, "SKU-1") == (10, 0)
    assert shop.coupon_state("SPRING10").redemptions == {}
    assert shop.payment(order).status == "TIMED_OUT"

    assert shop.deliver_late_captures() == 1
    shop.settle()
    payment = shop.payment(order)
    assert (payment.status, payment.refunded_amount) == ("REFUNDED", payment.amount)
    assert shop.captures(order) == {"requests": 1, "failures": 0, "captures": 1, "repeats": 0}
    cancelled_with(shop, order, "PAYMENT_TIMEOUT")


def test_a_customer_cancel_while_the_payment_is_pending_undoes_everything(shop: Shop) -> None:
    shop.stock("SKU-1", 10)
    shop.coupon("SPRING10")
    order = shop.place(("SKU-1", 3), coupon="SPRING10", token="tok_timeout")
    shop.settle()

    shop.cancel(order)
    shop.settle()

    cancelled_with(shop, order, "CUSTOMER_REQUEST")
    assert stock_of(shop, "SKU-1") == (10, 0)
    assert shop.coupon_state("SPRING10").redemptions == {}
    assert shop.payment(order).status == "TIMED_OUT"
    shop.deliver_late_captures()
    shop.settle()
    assert shop.payment(order).status == "REFUNDED"


def test_a_customer_cancel_before_the_saga_ran_releases_and_cancels(shop: Shop) -> None:
    shop.stock("SKU-1", 10)
    order = shop.place(("SKU-1", 3), token="tok_declined")
    shop.cancel(order)

    shop.settle()

    # Both facts reach the saga in one batch, before its capture goes out: the request
    # wins, the payment is timed out and the gateway never hears of the order.
    cancelled_with(shop, order, "CUSTOMER_REQUEST")
    assert stock_of(shop, "SKU-1") == (10, 0)
    assert shop.payment(order).status == "TIMED_OUT"
    assert shop.gateway.lookup(payment_stream(order)) is None


def test_a_customer_cancel_after_confirmation_refunds_returns_stock_and_reverts(
    shop: Shop,
) -> None:
    shop.stock("SKU-1", 10)
    shop.coupon("SPRING10")
    order = shop.place(("SKU-1", 3), coupon="SPRING10")
    shop.settle()
    assert shop.order(order).status == "CONFIRMED"
    assert stock_of(shop, "SKU-1") == (7, 0)

    shop.cancel(order)
    shop.settle()

    cancelled_with(shop, order, "CUSTOMER_REQUEST")
    assert stock_of(shop, "SKU-1") == (10, 0)
    assert shop.coupon_state("SPRING10").redemptions == {}
    payment = shop.payment(order)
    assert (payment.status, payment.refunded_amount) == ("REFUNDED", payment.amount)
    assert shop.captures(order)["captures"] == 1
