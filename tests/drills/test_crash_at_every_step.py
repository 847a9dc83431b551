"""Crash drill: the saga worker SIGKILLed at each step boundary in turn, then restarted.

A dry run counts the boundaries (commands sent, Checkout saves, gateway calls, position
saves) of a small mixed workload; then, for each N, a fresh shop runs a forked worker that
kills itself at boundary N, and a restarted saga must end exactly as the dry run did.
Every boundary under SHOP_DRILL_FULL=1; by default a sample that holds every kind of
boundary (`tests.drills.boundaries`).
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from config.settings import Settings
from tests.drills.boundaries import crash_points
from tests.drills.worker_process import fork_worker
from tests.scenarios.invariants import assert_settled
from tests.scenarios.shop import Shop

pytestmark = pytest.mark.slow

RECEIVED = {"SKU-A": 5, "SKU-B": 3}
DRILL: list[dict[str, Any]] = [
    {"lines": [("SKU-A", 1), ("SKU-B", 1)], "coupon": "DRILL"},
    {"lines": [("SKU-A", 1)], "coupon": "DRILL", "token": "tok_declined"},
    {"lines": [("SKU-B", 1)], "token": "tok_flaky"},
    {"lines": [("SKU-A", 1), ("SKU-B", 9)]},  # out of stock
    {"lines": [("SKU-A", 2)], "coupon": "DRILL", "cancel": True},  # refunded once confirmed
]


def prepare(settings: Settings, **saga: Any) -> tuple[Shop, dict[str, str | None]]:
    shop = Shop(settings, **saga)
    for sku, quantity in RECEIVED.items():
        shop.stock(sku, quantity)
    shop.coupon("DRILL")
    orders = {}
    for spec in DRILL:
        token, coupon = spec.get("token", "tok_ok"), spec.get("coupon")
        order = shop.place(*spec["lines"], token=token, coupon=coupon)
        orders[order] = spec.get("coupon")
        if spec.get("cancel"):
            shop.cancel(order)
    return shop, orders


def ending(shop: Shop, orders: dict[str, str | None]) -> list[Any]:
    """How each order, stock and the coupon ended, by order rank.

    A crash can move the moment the cancelled order's request is read relative to its
    payment, so for it only "no money kept" is compared, not which way it was kept.
    """
    ended: list[Any] = []
    for order, spec in zip(orders, DRILL, strict=True):
        placed, payment = shop.order(order), shop.payment(order)
        paid = payment and payment.status
        if spec.get("cancel"):
            paid = "no money kept" if paid in (None, "TIMED_OUT", "REFUNDED") else paid
        ended.append((placed.status, placed.cancel_reason, paid))
    ended.append({sku: (shop.item(sku).on_hand, shop.item(sku).reserved) for sku in RECEIVED})
    ranks = sorted(list(orders).index(order) for order in shop.coupon_state("DRILL").redemptions)
    return [*ended, ranks]


def dry_run(settings: Settings) -> tuple[list[str], list[Any]]:
    """The kind of every boundary passed, in order, and how the drill ends."""
    seen: list[str] = []
    shop, orders = prepare(settings, crash=seen.append)
    shop.settle()
    expected = ending(shop, orders)
    shop.close()
    return seen, expected


def test_a_worker_killed_at_any_step_boundary_finishes_after_restart(
    backend: str, settings_for, tmp_path: Path
) -> None:
    kinds, expected = dry_run(settings_for(backend, data_dir=tmp_path / "dry"))
    assert len(kinds) > 20
    for point in crash_points(kinds):
        settings = settings_for(backend, data_dir=tmp_path / f"at-{point}")
        shop, orders = prepare(settings)
        worker = fork_worker(settings, crash_after=point)
        worker.join(60)
        assert worker.exitcode == -signal.SIGKILL, (point, worker.exitcode)

        shop.settle()  # the restarted saga

        assert ending(shop, orders) == expected, point
        assert_settled(shop, orders, RECEIVED)
        shop.close()
