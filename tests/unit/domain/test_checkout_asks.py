"""Steps asked of another saga partition: recorded once, rebuilt exactly, remembered on replay."""

from __future__ import annotations

import pytest

from domain.checkout import Checkout, begin, rebuilt
from domain.checkout.asks import AskableCommand
from domain.coupon import RedeemCoupon, RevertRedemption
from domain.inventory import CommitReservation, ReleaseReservation, ReserveStock, ReturnStock
from tests.builders import given, new_order_id, order_placed

ORDER = new_order_id()
LINES = [{"sku": "SKU-1", "name": "Widget", "quantity": 2, "unit_price": 1000}]


def started() -> Checkout:
    checkout = begin(order_placed(ORDER, lines=LINES, coupon_code="SPRING10"))
    checkout.collect_events()
    return checkout


@pytest.mark.parametrize(
    "command",
    [
        ReserveStock("SKU-1", ORDER, 2),
        ReleaseReservation("SKU-1", ORDER),
        CommitReservation("SKU-1", ORDER),
        ReturnStock("SKU-1", ORDER),
        RedeemCoupon("SPRING10", ORDER, "cust-1", 2000),
        RevertRedemption("SPRING10", ORDER),
    ],
)
def test_an_asked_step_records_what_rebuilds_exactly_that_command(
    command: AskableCommand,
) -> None:
    checkout = started()

    checkout.record_ask(command)

    [asked] = checkout.collect_events()
    assert isinstance(asked, Checkout.StepAsked)
    assert asked.command == type(command).__name__
    assert rebuilt(asked.command, asked.arguments) == command


def test_a_step_asked_again_records_nothing() -> None:
    checkout = started()
    checkout.record_ask(ReserveStock("SKU-1", ORDER, 2))
    checkout.collect_events()

    checkout.record_ask(ReserveStock("SKU-1", ORDER, 2))

    assert checkout.collect_events() == []


def test_another_step_on_the_same_stream_is_asked_in_turn() -> None:
    checkout = started()
    checkout.record_ask(ReserveStock("SKU-1", ORDER, 2))

    checkout.record_ask(ReleaseReservation("SKU-1", ORDER))

    kinds = [e.command for e in checkout.collect_events() if isinstance(e, Checkout.StepAsked)]
    assert kinds == ["ReserveStock", "ReleaseReservation"]


def test_a_replayed_checkout_remembers_what_it_asked() -> None:
    checkout = begin(order_placed(ORDER, lines=LINES))
    checkout.record_ask(ReserveStock("SKU-1", ORDER, 2))
    replayed: Checkout = given(*checkout.collect_events())

    replayed.record_ask(ReserveStock("SKU-1", ORDER, 2))

    assert replayed.collect_events() == []
