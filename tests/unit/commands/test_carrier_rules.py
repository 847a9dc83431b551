"""The simulated carrier's rules, in process: one label per shipment, refusals, void, hand-over."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from commands.carrier import CREATED, REFUSED, Label, SimulatedCarrier

ADDRESS = {
    "name": "Ada",
    "line1": "1 Main St",
    "city": "Seoul",
    "postal_code": "04524",
    "country": "KR",
}


@pytest.fixture
def carrier() -> Iterator[SimulatedCarrier]:
    simulated = SimulatedCarrier(":memory:")
    yield simulated
    simulated.close()


def test_a_deliverable_address_gets_a_simulated_tracking_number(carrier: SimulatedCarrier) -> None:
    label = carrier.create_label("shipment-1", "order-1", ADDRESS, "k1")

    assert label.status == CREATED
    assert label.reason is None
    assert re.fullmatch(r"SIM[0-9A-F]{12}", label.tracking_number or "")


def test_a_repeat_returns_the_first_label_and_is_counted(carrier: SimulatedCarrier) -> None:
    first = carrier.create_label("shipment-2", "order-2", ADDRESS, "k1")
    again = carrier.create_label("shipment-2", "order-2", {**ADDRESS, "postal_code": "00000"}, "k2")

    assert again == first
    assert carrier.requests("shipment-2") == 2
    assert carrier.lookup_label("shipment-2") == first


def test_each_shipment_gets_its_own_tracking_number(carrier: SimulatedCarrier) -> None:
    numbers = {carrier.create_label(f"s-{n}", "o", ADDRESS, "k").tracking_number for n in range(50)}

    assert len(numbers) == 50


@pytest.mark.parametrize(
    ("address", "reason"),
    [({**ADDRESS, "postal_code": "00000"}, "undeliverable address"), (None, "no shipping address")],
)
def test_an_address_it_cannot_reach_is_refused(
    carrier: SimulatedCarrier, address: dict[str, str] | None, reason: str
) -> None:
    label = carrier.create_label("shipment-3", "order-3", address, "k")

    assert label == Label(REFUSED, None, reason)
    assert carrier.lookup_label("shipment-3") == label


def test_an_unknown_shipment_has_no_label(carrier: SimulatedCarrier) -> None:
    assert carrier.lookup_label("nobody") is None
    assert carrier.requests("nobody") == 0
    assert carrier.state("nobody") is None


def test_void_marks_the_label_voided_and_twice_is_the_same(carrier: SimulatedCarrier) -> None:
    carrier.create_label("shipment-4", "order-4", ADDRESS, "k")

    carrier.void_label("shipment-4", "v")
    carrier.void_label("shipment-4", "v")

    assert carrier.state("shipment-4") == "voided"


def test_voiding_an_unknown_label_does_nothing(carrier: SimulatedCarrier) -> None:
    carrier.void_label("nobody", "v")

    assert carrier.lookup_label("nobody") is None


def test_hand_over_marks_the_parcel_picked_up(carrier: SimulatedCarrier) -> None:
    carrier.create_label("shipment-5", "order-5", ADDRESS, "k")

    carrier.hand_over("shipment-5", "h")
    carrier.hand_over("shipment-5", "h")

    assert carrier.state("shipment-5") == "picked_up"


def test_labels_outlive_the_process_in_their_file(tmp_path: Path) -> None:
    path = tmp_path / "carrier" / "labels.sqlite3"
    first = SimulatedCarrier(path)
    label = first.create_label("shipment-6", "order-6", ADDRESS, "k")
    first.close()

    again = SimulatedCarrier(path)

    assert again.lookup_label("shipment-6") == label
    again.close()
