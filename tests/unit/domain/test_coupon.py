"""Coupon: given past events, when a command method runs, then these new events."""

from __future__ import annotations

from typing import Any

import pytest

from domain.coupon import Coupon
from domain.shared.base import InvalidInput
from tests.builders import (
    at,
    coupon_defined,
    coupon_disabled,
    coupon_redeemed,
    given,
    new_order_id,
    redemption_rejected,
    redemption_reverted,
)

CODE = "SPRING10"
NOW = at("2026-06-01T12:00:00+00:00")


def test_defining_a_coupon_records_defined_with_its_rules() -> None:
    coupon = Coupon.define(
        CODE,
        "fixed",
        5000,
        currency="KRW",
        min_order_total=20000,
        max_redemptions=100,
        per_customer_limit=1,
        valid_from=at("2026-01-01T00:00:00+00:00"),
        valid_until=at("2027-01-01T00:00:00+00:00"),
    )

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.Defined)
    assert new_event.originator_id == "coupon-SPRING10"
    assert (new_event.kind, new_event.value, new_event.currency) == ("fixed", 5000, "KRW")
    assert (new_event.max_redemptions, new_event.per_customer_limit) == (100, 1)


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": "bogus", "value": 10},
        {"kind": "percent", "value": 0},
        {"kind": "percent", "value": 101},
        {"kind": "fixed", "value": 0},
        {"kind": "fixed", "value": 100, "currency": "won"},
        {"kind": "percent", "value": 10, "min_order_total": -1},
        {"kind": "percent", "value": 10, "max_redemptions": 0},
        {"kind": "percent", "value": 10, "per_customer_limit": 0},
        {"kind": "percent", "value": 10, "valid_from": at("2026-01-01T00:00:00")},
        {
            "kind": "percent",
            "value": 10,
            "valid_from": at("2027-01-01T00:00:00+00:00"),
            "valid_until": at("2026-01-01T00:00:00+00:00"),
        },
        {"kind": "percent", "value": 10, "code": "no spaces"},
    ],
)
def test_defining_with_malformed_rules_is_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        Coupon.define(**{"code": CODE, **fields})


def test_redeeming_a_valid_coupon_records_redeemed() -> None:
    coupon = given(coupon_defined(CODE))
    order = new_order_id()

    coupon.redeem(order, "cust-1", 25800, NOW)

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.Redeemed)
    assert (new_event.order_id, new_event.customer_id, new_event.order_total) == (
        order,
        "cust-1",
        25800,
    )


def test_redeeming_again_for_the_same_order_records_nothing() -> None:
    order = new_order_id()
    coupon = given(coupon_defined(CODE, max_redemptions=1), coupon_redeemed(CODE, order))

    coupon.redeem(order, "cust-1", 25800, NOW)

    assert coupon.collect_events() == []


def test_redeeming_again_after_a_rejection_records_nothing() -> None:
    order = new_order_id()
    coupon = given(coupon_defined(CODE), redemption_rejected(CODE, order, "expired"))

    coupon.redeem(order, "cust-1", 25800, NOW)

    assert coupon.collect_events() == []


@pytest.mark.parametrize(
    ("history", "total", "reason"),
    [
        ([coupon_disabled(CODE)], 25800, "disabled"),
        ([], 100, "below_minimum"),
    ],
)
def test_a_refused_redemption_is_recorded_with_its_reason(
    history: list[Any], total: int, reason: str
) -> None:
    coupon = given(coupon_defined(CODE, min_order_total=1000), *history)
    order = new_order_id()

    coupon.redeem(order, "cust-1", total, NOW)

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.RedemptionRejected)
    assert (new_event.order_id, new_event.reason) == (order, reason)


@pytest.mark.parametrize(
    ("window", "reason"),
    [
        ({"valid_from": at("2026-07-01T00:00:00+00:00")}, "not_yet_valid"),
        ({"valid_until": at("2026-06-01T12:00:00+00:00")}, "expired"),
    ],
)
def test_a_redemption_outside_the_validity_window_is_rejected(
    window: dict[str, Any], reason: str
) -> None:
    coupon = given(coupon_defined(CODE, **window))

    coupon.redeem(new_order_id(), "cust-1", 25800, NOW)

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.RedemptionRejected)
    assert new_event.reason == reason


def test_a_redemption_beyond_the_total_limit_is_rejected() -> None:
    coupon = given(coupon_defined(CODE, max_redemptions=1), coupon_redeemed(CODE, new_order_id()))

    coupon.redeem(new_order_id(), "cust-2", 25800, NOW)

    [new_event] = coupon.collect_events()
    assert new_event.reason == "limit_reached"


def test_a_redemption_beyond_the_customer_limit_is_rejected() -> None:
    coupon = given(
        coupon_defined(CODE, per_customer_limit=1), coupon_redeemed(CODE, new_order_id(), "cust-1")
    )

    coupon.redeem(new_order_id(), "cust-1", 25800, NOW)
    coupon.redeem(new_order_id(), "cust-2", 25800, NOW)

    rejected, redeemed = coupon.collect_events()
    assert (rejected.reason, rejected.customer_id) == ("customer_limit_reached", "cust-1")
    assert isinstance(redeemed, Coupon.Redeemed)
    assert redeemed.customer_id == "cust-2"


def test_a_reverted_redemption_frees_its_slot() -> None:
    first = new_order_id()
    coupon = given(
        coupon_defined(CODE, max_redemptions=1),
        coupon_redeemed(CODE, first),
        redemption_reverted(CODE, first, version=2),
    )

    coupon.redeem(new_order_id(), "cust-1", 25800, NOW)

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.Redeemed)


def test_redeeming_with_a_malformed_order_id_is_refused() -> None:
    coupon = given(coupon_defined(CODE))

    with pytest.raises(InvalidInput):
        coupon.redeem("order-1", "cust-1", 25800, NOW)

    assert coupon.collect_events() == []


def test_reverting_a_redemption_records_redemption_reverted() -> None:
    order = new_order_id()
    coupon = given(coupon_defined(CODE), coupon_redeemed(CODE, order))

    coupon.revert(order)

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.RedemptionReverted)
    assert new_event.order_id == order


def test_reverting_twice_or_what_was_never_redeemed_records_nothing() -> None:
    order = new_order_id()
    coupon = given(
        coupon_defined(CODE), coupon_redeemed(CODE, order), redemption_reverted(CODE, order, 2)
    )

    coupon.revert(order)
    coupon.revert(new_order_id())
    coupon.redeem(order, "cust-1", 25800, NOW)

    assert coupon.collect_events() == []


def test_disabling_records_disabled_once() -> None:
    coupon = given(coupon_defined(CODE))

    coupon.disable()
    coupon.disable()

    [new_event] = coupon.collect_events()
    assert isinstance(new_event, Coupon.Disabled)


@pytest.mark.parametrize(
    ("kind", "value", "subtotal", "discount"),
    [
        ("percent", 10, 999, 99),
        ("percent", 100, 500, 500),
        ("fixed", 5000, 3000, 3000),
        ("fixed", 5000, 8000, 5000),
    ],
)
def test_the_discount_rounds_down_and_never_exceeds_the_subtotal(
    kind: str, value: int, subtotal: int, discount: int
) -> None:
    coupon = given(coupon_defined(CODE, kind=kind, value=value))

    assert coupon.discount_for(subtotal) == discount


def test_a_fixed_coupon_in_another_currency_does_not_apply_at_placement() -> None:
    coupon = given(coupon_defined(CODE, kind="fixed", value=500, currency="USD"))

    assert coupon.refusal_at_placement(25800, NOW, "KRW") == "currency_mismatch"
    assert coupon.refusal_at_placement(25800, NOW, "USD") is None
