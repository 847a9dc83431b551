"""Partitions that ask each other, stopped at every step boundary in turn, then restarted.

The in-process twin of `tests/drills/test_crash_at_every_step.py` for a partitioned
saga: orders fall to each of three partitions, each owning some of the skus and the
coupon, so steps are asked and answered across them. A crash is an exception out of the
boundary; the restart is a fresh saga over the same store, which must end as a run that
never stopped did.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from commands.process_managers.parts import Partition
from config.settings import Settings
from tests.drills.test_crash_at_every_step import DRILL, RECEIVED, ending
from tests.scenarios.invariants import assert_settled
from tests.scenarios.partitions import asks, place_in
from tests.scenarios.shop import Shop

pytestmark = [pytest.mark.scenario, pytest.mark.slow]

PARTITIONS = 3  # SKU-A and the coupon fall to partition 1, SKU-B to 0, nothing to 2


class Crash(BaseException):
    """Stands for SIGKILL: nothing after the boundary runs."""


def crash_at(point: int) -> Any:
    seen = [0]

    def crash(boundary: str) -> None:
        seen[0] += 1
        if seen[0] == point:
            raise Crash(boundary)

    return crash


def prepare(settings: Settings, crash: Any) -> tuple[Shop, dict[str, str | None]]:
    """The crash drill's orders, the n-th placed in partition n modulo 3."""
    shop = Shop(settings, partitions=PARTITIONS, crash=crash)
    for sku, quantity in RECEIVED.items():
        shop.stock(sku, quantity)
    shop.coupon("DRILL")
    orders = {}
    for n, spec in enumerate(DRILL):
        token, coupon = spec.get("token", "tok_ok"), spec.get("coupon")
        partition = Partition(n % PARTITIONS, PARTITIONS)
        order = place_in(shop, partition, *spec["lines"], token=token, coupon=coupon)
        orders[order] = coupon
        if spec.get("cancel"):
            shop.cancel(order)
    return shop, orders


def test_asking_partitions_stopped_at_any_boundary_finish_after_restart(
    backend: str, settings_for, tmp_path: Path
) -> None:
    seen: list[str] = []
    shop, orders = prepare(settings_for(backend, data_dir=tmp_path / "dry"), seen.append)
    shop.settle()
    expected = ending(shop, orders)
    assert len(asks(shop)) >= 5  # orders 0, 2 and 3 ask for stock, the coupon or both
    shop.close()
    for point in range(1, len(seen) + 1):
        settings = settings_for(backend, data_dir=tmp_path / f"at-{point}")
        shop, orders = prepare(settings, crash_at(point))
        with pytest.raises(Crash):
            shop.settle()
        shop.close()

        restarted = Shop(settings, partitions=PARTITIONS)
        restarted.settle()

        assert ending(restarted, orders) == expected, (point, seen[point - 1])
        assert_settled(restarted, orders, RECEIVED)
        restarted.close()
