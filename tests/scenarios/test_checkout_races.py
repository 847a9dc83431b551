"""Races: many customers at once for scarce stock or a limited coupon, the saga partitioned."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.scenarios.invariants import TERMINAL, assert_never_oversold, assert_settled
from tests.scenarios.shop import Shop

pytestmark = pytest.mark.scenario


@pytest.fixture
def racing_shop(backend: str, settings_for) -> Iterator[Shop]:
    """Four saga partitions in threads, racing each other for the same streams."""
    shop = Shop(settings_for(backend), partitions=4)
    yield shop
    shop.close()


def place_concurrently(shop: Shop, count: int, coupon: str | None = None) -> list[str]:
    def place(index: int) -> str:
        return shop.place(("HOT", 1), coupon=coupon, customer=f"cust-{index}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(place, range(count)))


def wait_until_terminal(shop: Shop, orders: list[str], timeout_s: float = 120) -> Counter[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        ended = Counter(shop.order(order).status for order in orders)
        if sum(ended[status] for status in TERMINAL) == len(orders):
            return ended
        time.sleep(0.2)
    raise AssertionError(f"orders still pending after {timeout_s}s: {ended}")


def test_200_orders_for_100_units_confirm_exactly_100(racing_shop: Shop) -> None:
    racing_shop.stock("HOT", 100)
    racing_shop.saga.start()

    orders = place_concurrently(racing_shop, 200)
    ended = wait_until_terminal(racing_shop, orders)
    racing_shop.saga.stop()
    racing_shop.settle()  # a release asked of another partition may follow the cancellation

    assert ended == {"CONFIRMED": 100, "CANCELLED": 100}
    reasons = {racing_shop.order(o).cancel_reason for o in orders} - {None}
    assert reasons == {"OUT_OF_STOCK"}
    assert_never_oversold(racing_shop, "HOT")
    assert_settled(racing_shop, dict.fromkeys(orders), {"HOT": 100})
    assert racing_shop.item("HOT").on_hand == 0


def test_a_coupon_limited_to_10_is_redeemed_exactly_10_times_by_50_orders(
    racing_shop: Shop,
) -> None:
    racing_shop.stock("HOT", 1000)
    racing_shop.coupon("TEN", max_redemptions=10)
    racing_shop.saga.start()

    orders = place_concurrently(racing_shop, 50, coupon="TEN")
    ended = wait_until_terminal(racing_shop, orders)
    racing_shop.saga.stop()
    racing_shop.settle()  # a release asked of another partition may follow the cancellation

    assert ended == {"CONFIRMED": 10, "CANCELLED": 40}
    assert len(racing_shop.coupon_state("TEN").redemptions) == 10
    reasons = Counter(racing_shop.order(o).cancel_reason for o in orders)
    assert reasons == {None: 10, "COUPON_REJECTED": 40}
    assert_settled(racing_shop, dict.fromkeys(orders, "TEN"), {"HOT": 1000})
