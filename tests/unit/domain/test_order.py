"""Order: given past events, when a command method runs, then these new events."""

from __future__ import annotations

from typing import Any

import pytest

from domain.order import (
    MixedCurrencies,
    Order,
    OrderAlreadyCancelled,
    OrderAlreadyConfirmed,
    PricedLine,
)
from domain.shared.base import InvalidInput
from tests.builders import (
    given,
    new_order_id,
    order_cancellation_requested,
    order_cancelled,
    order_confirmed,
    order_placed,
)

WIDGET = PricedLine("SKU-1", "Widget", 2, 12900, "KRW")
GADGET = PricedLine("SKU-2", "Gadget", 1, 5000, "KRW")


def place(order_id: str | None = None, **overrides: Any) -> Order:
    fields = {
        "order_id": order_id or new_order_id(),
        "customer_id": "cust-1",
        "lines": [WIDGET, GADGET],
        "discount": 0,
        "coupon_code": None,
        "payment_token": "tok_ok",
        "shipping_address": {"city": "Seoul"},
    } | overrides
    return Order.place(**fields)


def test_placing_an_order_records_placed_with_lines_and_totals() -> None:
    order_id = new_order_id()

    order = place(order_id, discount=3080, coupon_code="SPRING10")

    [new_event] = order.collect_events()
    assert isinstance(new_event, Order.Placed)
    assert new_event.originator_id == f"order-{order_id}"
    assert new_event.order_id == order_id
    assert new_event.lines == [
        {"sku": "SKU-1", "name": "Widget", "quantity": 2, "unit_price": 12900},
        {"sku": "SKU-2", "name": "Gadget", "quantity": 1, "unit_price": 5000},
    ]
    assert (new_event.subtotal, new_event.discount, new_event.total) == (30800, 3080, 27720)
    assert (new_event.currency, new_event.coupon_code) == ("KRW", "SPRING10")
    assert order.status == "PENDING"


@pytest.mark.parametrize(
    "overrides",
    [
        {"lines": []},
        {"lines": [WIDGET] * 2},
        {"lines": [PricedLine(f"S-{i}", "x", 1, 100, "KRW") for i in range(51)]},
        {"lines": [PricedLine("SKU-1", "Widget", 0, 12900, "KRW")]},
        {"lines": [PricedLine("SKU-1", "Widget", 1001, 12900, "KRW")]},
        {"discount": 30801},
        {"discount": -1},
        {"customer_id": ""},
        {"payment_token": ""},
        {"order_id": "not-a-uuid"},
        {"coupon_code": "bad code"},
        {"shipping_address": {"city": 5}},
    ],
)
def test_placing_a_malformed_order_is_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        place(**overrides)


def test_placing_lines_in_two_currencies_is_refused() -> None:
    with pytest.raises(MixedCurrencies):
        place(lines=[WIDGET, PricedLine("SKU-2", "Gadget", 1, 5, "USD")])


def test_confirming_a_pending_order_records_confirmed() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id))

    order.confirm()

    [new_event] = order.collect_events()
    assert isinstance(new_event, Order.Confirmed)
    assert order.status == "CONFIRMED"


def test_confirming_twice_records_nothing() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_confirmed(order_id))

    order.confirm()

    assert order.collect_events() == []


def test_confirming_a_cancelled_order_is_refused() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_cancelled(order_id, "OUT_OF_STOCK"))

    with pytest.raises(OrderAlreadyCancelled):
        order.confirm()

    assert order.collect_events() == []


@pytest.mark.parametrize(
    "reason",
    ["OUT_OF_STOCK", "COUPON_REJECTED", "PAYMENT_DECLINED", "PAYMENT_TIMEOUT", "CUSTOMER_REQUEST"],
)
def test_cancelling_a_pending_order_records_cancelled_with_the_reason(reason: str) -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id))

    order.cancel(reason)

    [new_event] = order.collect_events()
    assert isinstance(new_event, Order.Cancelled)
    assert new_event.reason == reason
    assert (order.status, order.cancel_reason) == ("CANCELLED", reason)


def test_a_confirmed_order_may_be_cancelled_at_the_customers_request() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_confirmed(order_id))

    order.cancel("CUSTOMER_REQUEST")

    [new_event] = order.collect_events()
    assert new_event.reason == "CUSTOMER_REQUEST"


def test_a_confirmed_order_refuses_any_other_cancellation() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_confirmed(order_id))

    with pytest.raises(OrderAlreadyConfirmed):
        order.cancel("PAYMENT_TIMEOUT")

    assert order.collect_events() == []


def test_cancelling_a_cancelled_order_records_nothing() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_cancelled(order_id, "OUT_OF_STOCK"))

    order.cancel("CUSTOMER_REQUEST")

    assert order.collect_events() == []


def test_cancelling_with_an_unknown_reason_is_refused() -> None:
    order = given(order_placed(new_order_id()))

    with pytest.raises(InvalidInput):
        order.cancel("BORED")

    assert order.collect_events() == []


def test_requesting_cancellation_records_who_asked() -> None:
    order = given(order_placed(new_order_id()))

    order.request_cancellation("cust-1")

    [new_event] = order.collect_events()
    assert isinstance(new_event, Order.CancellationRequested)
    assert new_event.requested_by == "cust-1"


def test_requesting_cancellation_twice_records_nothing() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_cancellation_requested(order_id))

    order.request_cancellation("admin")

    assert order.collect_events() == []


def test_requesting_cancellation_of_a_cancelled_order_is_refused() -> None:
    order_id = new_order_id()
    order = given(order_placed(order_id), order_cancelled(order_id, "PAYMENT_DECLINED"))

    with pytest.raises(OrderAlreadyCancelled):
        order.request_cancellation("cust-1")

    assert order.collect_events() == []


def test_an_order_keeps_its_lines_as_plain_data_and_as_order_lines() -> None:
    order = given(order_placed(new_order_id()))

    assert order.lines == [{"sku": "SKU-1", "name": "Widget", "quantity": 2, "unit_price": 12900}]
    assert order.order_lines[0].amount == 25800
