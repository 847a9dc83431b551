"""Returns end to end in-process: refunds of a share, exchanges, the window and the units."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.returns import ReturnNotAllowed
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop

pytestmark = pytest.mark.scenario


@pytest.fixture
def shop(backend: str, settings_for) -> Iterator[FulfilmentShop]:
    the_shop = FulfilmentShop(settings_for(backend, payment_timeout_s=30, return_window_days=30))
    yield the_shop
    the_shop.close()


def delivered_order(
    shop: FulfilmentShop, *lines: tuple[str, int], coupon: str | None = None
) -> str:
    order = shop.place_to(ADDRESS, *lines, coupon=coupon)
    shop.settle()
    shop.deliver(order)
    return order


def test_a_partial_return_with_a_coupon_refunds_the_lines_share_and_restocks(
    shop: FulfilmentShop,
) -> None:
    shop.stock("SKU-1", 10, price=3333)
    shop.stock("SKU-2", 10, price=1000)
    shop.coupon("TEN", value=10)
    order = delivered_order(shop, ("SKU-1", 3), ("SKU-2", 1), coupon="TEN")
    # subtotal 10999, discount 1099, paid 9900; 2 of SKU-1 are worth 6666 of the subtotal,
    # their share of the discount is 1099 * 6666 / 10999 = 666.04.. -> 667 (rounded up)
    ret = shop.ask_return(order, "refund", ("SKU-1", 2))
    assert shop.returned(ret).refund_amount == 6666 - 667

    shop.approve(ret)
    shop.receive(ret)
    shop.settle()

    assert shop.returned(ret).status == "REFUNDED"
    assert shop.payment(order).status == "PARTIALLY_REFUNDED"
    assert shop.payment(order).refunded_amount == 5999
    assert shop.refunds(order) == [(ret, 5999, 1)]
    assert shop.item("SKU-1").on_hand == 10 - 3 + 2


def test_returns_never_refund_more_than_was_paid(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 10, price=3333)
    shop.coupon("TEN", value=10)
    order = delivered_order(shop, ("SKU-1", 3), coupon="TEN")
    returns = [shop.ask_return(order, "refund", ("SKU-1", 1)) for _ in range(3)]
    for ret in returns:
        shop.approve(ret)
        shop.receive(ret)
    shop.settle()

    paid = shop.payment(order).amount
    assert sum(shop.returned(r).refund_amount for r in returns) <= paid
    assert shop.payment(order).refunded_amount <= paid
    assert (
        sum(amount for _, amount, _ in shop.refunds(order)) == shop.payment(order).refunded_amount
    )


def test_two_returns_that_take_every_unit_leave_none_for_a_third(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 10)
    order = delivered_order(shop, ("SKU-1", 3))
    shop.ask_return(order, "refund", ("SKU-1", 1))
    shop.ask_return(order, "refund", ("SKU-1", 2))

    with pytest.raises(ReturnNotAllowed):
        shop.ask_return(order, "refund", ("SKU-1", 1))


def test_a_rejected_return_frees_its_units(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 10)
    order = delivered_order(shop, ("SKU-1", 1))
    first = shop.ask_return(order, "refund", ("SKU-1", 1))
    shop.reject(first)

    second = shop.ask_return(order, "refund", ("SKU-1", 1))

    assert shop.returned(second).status == "REQUESTED"


def test_a_return_after_the_window_is_refused(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 10)
    order = delivered_order(shop, ("SKU-1", 1))
    shop.clock.advance(31 * 86400)

    with pytest.raises(ReturnNotAllowed):
        shop.ask_return(order, "refund", ("SKU-1", 1))


def test_a_return_before_delivery_is_refused(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 10)
    order = shop.place_to(ADDRESS, ("SKU-1", 1))
    shop.settle()

    with pytest.raises(ReturnNotAllowed):
        shop.ask_return(order, "refund", ("SKU-1", 1))


def test_an_exchange_in_stock_ships_the_same_skus_again(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 3)
    order = delivered_order(shop, ("SKU-1", 2))
    ret = shop.ask_return(order, "exchange", ("SKU-1", 1))
    shop.approve(ret)
    shop.receive(ret)
    shop.settle()

    assert shop.returned(ret).status == "EXCHANGED"
    exchange = shop.shipment(ret)
    assert (exchange.status, exchange.order_id) == ("LABELLED", order)
    assert exchange.lines == [("SKU-1", 1)]
    assert shop.refunds(order) == []
    # 3 - 2 sold - 1 sent again + 1 back
    assert (shop.item("SKU-1").on_hand, shop.item("SKU-1").reserved) == (1, 0)

    shop.deliver(ret)
    assert shop.shipment(ret).status == "DELIVERED"


def test_an_exchange_out_of_stock_is_refunded_instead(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 2, price=1000)
    order = delivered_order(shop, ("SKU-1", 2))  # the shelf is empty now
    ret = shop.ask_return(order, "exchange", ("SKU-1", 1))
    shop.approve(ret)
    shop.receive(ret)
    shop.settle()

    assert shop.returned(ret).status == "REFUNDED"
    assert shop.shipment(ret) is None
    assert shop.refunds(order) == [(ret, 1000, 1)]
    assert (shop.item("SKU-1").on_hand, shop.item("SKU-1").reserved) == (1, 0)
