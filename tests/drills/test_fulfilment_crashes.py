"""Crash drill: the fulfilment manager SIGKILLed at each step boundary in turn, then restarted.

The shop is brought to a point where every kind of fulfilment step is due at once: a label
to ask, a label refused, a cancelled order's label to void, a dispatched parcel to hand
over, a lost parcel to refund, a return to restock and refund, an exchange to reserve and
ship. A dry run counts the step boundaries from there; then, for each N, a fresh shop in
that state runs a forked worker that kills itself at boundary N, and a restarted manager
must end as the dry run did, with no label asked twice (the carrier's own count), no
refund sent twice (the provider's) and stock conserved. Every boundary under
SHOP_DRILL_FULL=1; by default a sample that holds every kind (`tests.drills.boundaries`).
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import pytest

from commands.fulfilment.manager import FulfilmentProcessManager
from config.settings import Settings
from tests.drills.boundaries import crash_points
from tests.drills.worker_process import fork_worker
from tests.scenarios.fulfilment_invariants import (
    assert_labels_once,
    assert_money_once,
    assert_stock_conserved,
)
from tests.scenarios.fulfilment_shop import ADDRESS, UNDELIVERABLE, FulfilmentShop

pytestmark = pytest.mark.slow
RECEIVED = {"SKU-A": 6, "SKU-B": 4}
CRASH_VARIABLE = "SHOP_FULFILMENT_CRASH_AFTER"


class Armed:
    """A crash hook that notes step boundaries only once armed (the last phase)."""

    def __init__(self) -> None:
        self.armed = False
        self.seen: list[str] = []

    def __call__(self, point: str) -> None:
        if self.armed:
            self.seen.append(point)


def prepare(settings: Settings, hook: Any = None) -> tuple[FulfilmentShop, dict[str, str]]:
    """The shop with every kind of fulfilment step due; the orders and returns by name."""
    shop = FulfilmentShop(settings, **({"crash": hook} if hook else {}))
    for sku, quantity in RECEIVED.items():
        shop.stock(sku, quantity, price=1200)
    shop.coupon("DRILL")
    ids = {
        name: shop.place_to(ADDRESS, *lines, coupon="DRILL")
        for name, lines in {
            "cancelled": [("SKU-A", 1)],
            "shipped": [("SKU-B", 1)],
            "lost": [("SKU-A", 1)],
            "returned": [("SKU-A", 2), ("SKU-B", 1)],
            "exchanged": [("SKU-B", 1)],
        }.items()
    }
    shop.settle()
    for name in ("returned", "exchanged"):
        shop.deliver(ids[name])
    ids["refund"] = shop.ask_return(ids["returned"], "refund", ("SKU-A", 1), ("SKU-B", 1))
    ids["exchange"] = shop.ask_return(ids["exchanged"], "exchange", ("SKU-B", 1))
    for name in ("refund", "exchange"):
        shop.approve(ids[name])
        shop.receive(ids[name])
    shop.cancel(ids["cancelled"])
    shop.dispatch(ids["shipped"])
    shop.dispatch(ids["lost"])
    shop.report(ids["lost"], "LOST")
    shop.saga.run_until_idle()  # the checkout's part of the cancellation, not fulfilment's
    ids["labelled"] = shop.place_to(ADDRESS, ("SKU-A", 1))
    ids["held"] = shop.place_to(UNDELIVERABLE, ("SKU-B", 1))
    shop.saga.run_until_idle()
    return shop, ids


def ending(shop: FulfilmentShop, ids: dict[str, str]) -> list[Any]:
    shipments = {n: getattr(shop.shipment(i), "status", None) for n, i in ids.items()}
    returns = {n: shop.returned(ids[n]).status for n in ("refund", "exchange")}
    payments = {n: getattr(shop.payment(i), "status", None) for n, i in ids.items()}
    stock = {sku: (shop.item(sku).on_hand, shop.item(sku).reserved) for sku in RECEIVED}
    return [shipments, returns, payments, stock]


def check(shop: FulfilmentShop, ids: dict[str, str]) -> None:
    assert_labels_once(shop, ids.values())
    assert_money_once(shop, [ids[n] for n in ("cancelled", "lost", "returned", "exchanged")])
    assert_stock_conserved(shop, RECEIVED, [ids["refund"], ids["exchange"]])


def dry_run(settings: Settings) -> tuple[list[str], list[Any]]:
    hook = Armed()
    shop, ids = prepare(settings, hook)
    hook.armed = True
    shop.settle()
    expected = ending(shop, ids)
    check(shop, ids)
    shop.close()
    return hook.seen, expected


def test_a_fulfilment_worker_killed_at_any_step_boundary_finishes_after_restart(
    backend: str, settings_for, tmp_path: Path
) -> None:
    kinds, expected = dry_run(settings_for(backend, data_dir=tmp_path / "dry"))
    assert len(kinds) > 20, kinds
    assert expected[1] == {"refund": "REFUNDED", "exchange": "EXCHANGED"}
    for point in crash_points(kinds):
        settings = settings_for(backend, data_dir=tmp_path / f"at-{point}")
        shop, ids = prepare(settings)
        worker = fork_worker(settings, crash_after=point, crash_variable=CRASH_VARIABLE)
        worker.join(60)
        assert worker.exitcode == -signal.SIGKILL, (point, worker.exitcode)

        shop.settle()  # the restarted manager

        assert ending(shop, ids) == expected, point
        check(shop, ids)
        shop.close()


def test_the_whole_log_delivered_again_changes_nothing(
    backend: str, settings_for, tmp_path: Path
) -> None:
    shop, ids = prepare(settings_for(backend, data_dir=tmp_path / "twice"))
    shop.settle()
    before = ending(shop, ids)
    manager = shop.fulfilment.managers[0]
    assert isinstance(manager, FulfilmentProcessManager)
    manager.state.forget_position("fulfilment")
    manager.forget()

    shop.settle()  # every event of the log again, from the start

    assert ending(shop, ids) == before
    check(shop, ids)
    shop.close()
