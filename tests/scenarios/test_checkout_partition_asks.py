"""Four saga partitions share hot skus and a limited coupon: each stream has one writer.

An order's partition asks the owner of a sku or coupon for its stock and coupon steps
(`Checkout.StepAsked`); the owner runs them, and their outcomes come back through the log.
"""

from __future__ import annotations

import logging
import random
from typing import Any

import pytest

from commands.process_managers.parts import Partition
from domain.inventory import InventoryItem
from domain.shared import ids
from tests.drills.throughput import settle_on_threads
from tests.scenarios.invariants import assert_never_oversold, assert_settled
from tests.scenarios.partitions import asks, owner, place_in
from tests.scenarios.shop import Shop
from tests.scenarios.workload import run_workload

pytestmark = pytest.mark.scenario

PARTITIONS = 4
RECEIVED = {"HOT-0": 10, "HOT-1": 100, "SKU-A": 100, "SKU-B": 100}
LIMIT = 6  # redemptions of the coupon "LIMITED"
REDO = "redoing it"  # the manager's log line when a group commit conflicted


@pytest.fixture
def shop(backend: str, settings_for) -> Any:
    the_shop = Shop(settings_for(backend, payment_timeout_s=30), partitions=PARTITIONS)
    yield the_shop
    the_shop.close()


def stock_up(shop: Shop) -> None:
    for sku, quantity in RECEIVED.items():
        shop.stock(sku, quantity)
    shop.coupon("LIMITED", max_redemptions=LIMIT)


def rush(shop: Shop, count: int = 60) -> dict[str, str | None]:
    """`count` orders that all want HOT-1, every other one also scarce HOT-0; order -> coupon.

    Built so that each way of ending happens whatever the interleaving: HOT-0 cannot serve
    its 30 orders even if every declined or coupon-refused one gives its unit back; ten
    coupon orders never lack stock, more than the limit and the one declined among them
    can free; and order 10 (no HOT-0, no coupon) is declined.
    """
    rng, orders = random.Random(11), {}
    for n in range(count):
        lines = [("HOT-1", 1), (rng.choice(["SKU-A", "SKU-B"]), 1)]
        lines += [("HOT-0", 1)] if n % 2 else []
        coupon = "LIMITED" if n % 3 == 0 else None
        token = "tok_declined" if n % 7 == 3 else "tok_ok"
        order = shop.place(*lines, coupon=coupon, token=token, customer=f"cust-{n}")
        orders[order] = coupon
    return orders


def assert_rush_ended_well(shop: Shop, orders: dict[str, str | None]) -> None:
    assert_settled(shop, orders, RECEIVED)
    for sku in ("HOT-0", "HOT-1"):
        assert_never_oversold(shop, sku)
    redeemed = shop.coupon_state("LIMITED").redemptions
    assert 0 < len(redeemed) <= LIMIT
    reasons = {shop.order(order).cancel_reason for order in orders}
    assert {"OUT_OF_STOCK", "COUPON_REJECTED", "PAYMENT_DECLINED"} <= reasons
    assert asks(shop), "the partitions asked each other nothing"


def test_partitions_asking_owners_settle_a_rush_without_a_conflict(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    stock_up(shop)
    orders = rush(shop)

    with caplog.at_level(logging.INFO, logger="commands.process_managers.checkout"):
        shop.settle()  # round after round over the four managers, until one handles nothing

    assert_rush_ended_well(shop, orders)
    assert REDO not in caplog.text


def test_partitions_on_threads_asking_owners_settle_a_rush_without_a_conflict(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    stock_up(shop)
    orders = rush(shop)

    with caplog.at_level(logging.INFO, logger="commands.process_managers.checkout"):
        settle_on_threads(shop.saga.managers)

    assert_rush_ended_well(shop, orders)
    assert REDO not in caplog.text


def not_owning(*keys: str) -> Partition:
    """A partition that owns none of the skus or coupon codes `keys`."""
    return next(
        Partition(index, PARTITIONS)
        for index in range(PARTITIONS)
        if all(owner(key, PARTITIONS) != index for key in keys)
    )


def test_out_of_stock_releases_what_another_partition_reserved(shop: Shop) -> None:
    shop.stock("HOT-0", 1)
    shop.stock("HOT-1", 5)
    order = place_in(shop, not_owning("HOT-1"), ("HOT-1", 2), ("HOT-0", 3))

    shop.settle()

    assert (shop.order(order).status, shop.order(order).cancel_reason) == (
        "CANCELLED",
        "OUT_OF_STOCK",
    )
    held = [type(e) for e in shop.store.events.get(ids.inventory_stream("HOT-1"))]
    assert held[-2:] == [InventoryItem.StockReserved, InventoryItem.ReservationReleased]
    assert (shop.item("HOT-1").on_hand, shop.item("HOT-1").reserved) == (5, 0)
    assert {(e.command, e.arguments["sku"]) for e in asks(shop)} >= {
        ("ReserveStock", "HOT-1"),
        ("ReleaseReservation", "HOT-1"),
    }


def test_a_declined_payment_releases_stock_and_reverts_a_coupon_other_partitions_own(
    shop: Shop,
) -> None:
    shop.stock("HOT-1", 5)
    shop.coupon("LIMITED", max_redemptions=1)
    mine = not_owning("HOT-1", "LIMITED")  # a coupon code hashes as a sku does
    declined = place_in(shop, mine, ("HOT-1", 2), coupon="LIMITED", token="tok_declined")
    shop.settle()
    after = place_in(shop, mine, ("HOT-1", 1), coupon="LIMITED", customer="cust-2")

    shop.settle()

    assert shop.order(declined).cancel_reason == "PAYMENT_DECLINED"
    assert shop.order(after).status == "CONFIRMED"  # the reverted slot was free again
    assert list(shop.coupon_state("LIMITED").redemptions) == [after]
    assert (shop.item("HOT-1").on_hand, shop.item("HOT-1").reserved) == (4, 0)
    asked = {e.command for e in asks(shop) if e.originator_id == ids.checkout_stream(declined)}
    assert asked == {"ReserveStock", "RedeemCoupon", "ReleaseReservation", "RevertRedemption"}


def test_a_confirmed_order_cancelled_gets_its_stock_back_from_the_owner(shop: Shop) -> None:
    shop.stock("HOT-1", 5)
    order = place_in(shop, not_owning("HOT-1"), ("HOT-1", 2))
    shop.settle()

    shop.cancel(order)
    shop.settle()

    assert shop.order(order).status == "CANCELLED"
    assert shop.payment(order).status == "REFUNDED"
    assert (shop.item("HOT-1").on_hand, shop.item("HOT-1").reserved) == (5, 0)
    assert shop.item("HOT-1").committed == {}


def test_with_one_partition_nothing_is_asked(backend: str, settings_for) -> None:
    one = Shop(settings_for(backend, payment_timeout_s=30))
    try:
        orders = run_workload(one)

        assert all(one.order(order).status in ("CONFIRMED", "CANCELLED") for order in orders)
        assert asks(one) == []
        assert all(not one.checkout(order).asked for order in orders)
    finally:
        one.close()
