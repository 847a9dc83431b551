"""Coupon handlers against a real store."""

from __future__ import annotations

import pytest

from commands.coupon import define_coupon, disable_coupon, redeem_coupon, revert_redemption
from commands.ports import Clock
from domain.coupon import (
    Coupon,
    CouponAlreadyDefined,
    DefineCoupon,
    DisableCoupon,
    RedeemCoupon,
    RevertRedemption,
    UnknownCoupon,
)
from domain.shared.base import InvalidInput
from eventstore.application import ShopStore
from tests.builders import at, new_order_id
from tests.unit.commands.setup import NOW, a_coupon, stored


def names(store: ShopStore, code: str = "SPRING10") -> list[str]:
    return [type(e).__name__ for e in stored(store, f"coupon-{code}")]


def test_defining_stores_defined(store: ShopStore) -> None:
    accepted = define_coupon(
        DefineCoupon("SPRING10", "percent", 10, valid_until=at("2027-01-01T00:00:00+00:00")), store
    )

    [defined] = stored(store, "coupon-SPRING10")
    assert isinstance(defined, Coupon.Defined)
    assert defined.valid_until == at("2027-01-01T00:00:00+00:00")
    assert (accepted.stream_id, accepted.version) == ("coupon-SPRING10", 0)


def test_defining_a_known_code_or_a_bad_rule_writes_nothing(store: ShopStore) -> None:
    a_coupon(store)

    with pytest.raises(CouponAlreadyDefined):
        a_coupon(store, value=20)
    with pytest.raises(InvalidInput):
        a_coupon(store, "OTHER", value=200)

    assert store.head() == 1


def test_redeeming_twice_for_one_order_redeems_once(store: ShopStore, clock: Clock) -> None:
    a_coupon(store)
    order = new_order_id()
    command = RedeemCoupon("SPRING10", order, "cust-1", 25800)

    first = redeem_coupon(command, store, clock)
    again = redeem_coupon(command, store, clock)

    assert (first.changed, again.changed) == (True, False)
    assert names(store) == ["Defined", "Redeemed"]


def test_a_redemption_after_the_window_is_recorded_as_rejected(
    store: ShopStore, clock: Clock
) -> None:
    a_coupon(store, valid_until=NOW)

    redeem_coupon(RedeemCoupon("SPRING10", new_order_id(), "cust-1", 25800), store, clock)

    assert stored(store, "coupon-SPRING10")[-1].reason == "expired"


def test_reverting_frees_the_slot_once(store: ShopStore, clock: Clock) -> None:
    a_coupon(store, max_redemptions=1)
    order = new_order_id()
    redeem_coupon(RedeemCoupon("SPRING10", order, "cust-1", 25800), store, clock)

    reverts = [revert_redemption(RevertRedemption("SPRING10", order), store) for _ in range(2)]
    redeem_coupon(RedeemCoupon("SPRING10", new_order_id(), "cust-2", 25800), store, clock)

    assert [r.changed for r in reverts] == [True, False]
    assert names(store) == ["Defined", "Redeemed", "RedemptionReverted", "Redeemed"]


def test_disabling_twice_writes_once(store: ShopStore) -> None:
    a_coupon(store)

    results = [disable_coupon(DisableCoupon("SPRING10"), store) for _ in range(2)]

    assert [r.changed for r in results] == [True, False]
    assert store.get("coupon-SPRING10").is_disabled


def test_commands_on_an_unknown_code_are_refused(store: ShopStore, clock: Clock) -> None:
    with pytest.raises(UnknownCoupon):
        redeem_coupon(RedeemCoupon("NOPE", new_order_id(), "cust-1", 1), store, clock)
    with pytest.raises(UnknownCoupon):
        disable_coupon(DisableCoupon("NOPE"), store)


def test_a_coupon_loads_the_same_from_a_snapshot(clock: Clock) -> None:
    store = ShopStore(
        env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, snapshot_intervals={Coupon: 2}
    )
    a_coupon(store, per_customer_limit=1, valid_from=at("2026-01-01T00:00:00+00:00"))
    order = new_order_id()
    for customer in ("cust-1", "cust-1"):
        redeem_coupon(RedeemCoupon("SPRING10", new_order_id(), customer, 25800), store, clock)
    redeem_coupon(RedeemCoupon("SPRING10", order, "cust-2", 25800), store, clock)

    coupon = store.get("coupon-SPRING10")

    assert list(store.snapshots.get("coupon-SPRING10"))  # type: ignore[union-attr]
    assert coupon.valid_from == at("2026-01-01T00:00:00+00:00")
    assert sorted(coupon.redemptions.values()) == ["cust-1", "cust-2"]
    store.close()
