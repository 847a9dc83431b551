"""What a saga partition owns: orders by id, skus and coupon codes by a stable hash."""

from __future__ import annotations

from uuid import uuid4

import pytest

from commands.process_managers.parts import Partition
from domain.coupon import RedeemCoupon, RevertRedemption
from domain.inventory import ReleaseReservation, ReserveStock

KEYS = [f"SKU-{n}" for n in range(50)] + ["HOT", "SPRING10", "a.b_c-d"]


@pytest.mark.parametrize("count", [1, 2, 4, 7])
def test_every_order_sku_and_coupon_has_exactly_one_owner(count: int) -> None:
    partitions = [Partition(index, count) for index in range(count)]
    orders = [str(uuid4()) for _ in range(50)]

    assert all(sum(p.owns(order) for p in partitions) == 1 for order in orders)
    assert all(sum(p.owns_sku(key) for p in partitions) == 1 for key in KEYS)
    assert all(sum(p.owns_coupon(key) for p in partitions) == 1 for key in KEYS)


def test_ownership_is_a_stable_hash_not_the_per_process_one() -> None:
    # crc32(b"SKU-1") == 0xEE072BB4, 0 modulo 4: the same owner in every process and release.
    assert [Partition(i, 4).owns_sku("SKU-1") for i in range(4)] == [True, False, False, False]
    assert [Partition(i, 4).owns_coupon("SKU-1") for i in range(4)] == [True, False, False, False]


def test_the_partition_that_owns_a_sku_runs_its_stock_steps() -> None:
    order = str(uuid4())
    owner = next(i for i in range(4) if Partition(i, 4).owns_sku("HOT"))

    runs = [Partition(i, 4).runs(ReserveStock("HOT", order, 1)) for i in range(4)]

    assert runs == [i == owner for i in range(4)]
    assert Partition(owner, 4).runs(ReleaseReservation("HOT", order))


def test_the_partition_that_owns_a_code_runs_its_coupon_steps() -> None:
    order = str(uuid4())
    owner = next(i for i in range(4) if Partition(i, 4).owns_coupon("SPRING10"))

    runs = [Partition(i, 4).runs(RedeemCoupon("SPRING10", order, "c", 100)) for i in range(4)]

    assert runs == [i == owner for i in range(4)]
    assert Partition(owner, 4).runs(RevertRedemption("SPRING10", order))


def test_one_partition_runs_every_step() -> None:
    order = str(uuid4())

    assert all(Partition().runs(ReserveStock(key, order, 1)) for key in KEYS)
    assert all(Partition().runs(RevertRedemption(key, order)) for key in KEYS)
