"""Where a saga partition new to the store starts: past what an earlier partitioning did."""

from __future__ import annotations

from commands.process_managers.state import partitioning_floor


def test_a_new_store_starts_at_the_beginning():
    assert partitioning_floor({}) == 0


def test_one_partition_before_means_its_position():
    assert partitioning_floor({"checkout": 900}) == 900


def test_a_complete_earlier_partitioning_counts_from_its_slowest_partition():
    stored = {"checkout-0-of-2": 900, "checkout-1-of-2": 950}

    assert partitioning_floor(stored) == 900


def test_an_incomplete_partitioning_proves_nothing():
    # partition 1 of 2 never saved: events before 900 of its orders may be unhandled
    assert partitioning_floor({"checkout-0-of-2": 900}) == 0


def test_the_furthest_complete_partitioning_wins():
    stored = {"checkout": 400, "checkout-0-of-2": 900, "checkout-1-of-2": 950}

    assert partitioning_floor(stored) == 900
