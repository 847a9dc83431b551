"""Payment handlers against a real store."""

from __future__ import annotations

import pytest

from commands.order import place_order
from commands.payment import (
    capture_payment,
    decline_payment,
    refund_payment,
    request_payment,
    time_out_payment,
)
from commands.ports import Clock
from domain.order import PlaceOrder, RequestedLine, UnknownOrder
from domain.payment import (
    CapturePayment,
    DeclinePayment,
    PaymentAlreadyRequested,
    PaymentAlreadySettled,
    PaymentAmountMismatch,
    PaymentNotCaptured,
    RefundPayment,
    RequestPayment,
    TimeOutPayment,
    UnknownPayment,
)
from domain.shared import ids
from eventstore.application import ShopStore
from tests.builders import new_order_id
from tests.unit.commands.setup import a_product, stored


@pytest.fixture
def order_id(store: ShopStore, clock: Clock) -> str:
    """A placed order of 2 x 12900 KRW."""
    a_product(store, "SKU-1", price=12900)
    place_order(
        PlaceOrder("cust-1", "k", [RequestedLine("SKU-1", 2)], None, "tok_ok"), store, clock
    )
    return ids.new_order_uuid("cust-1", "k")


def names(store: ShopStore, order_id: str) -> list[str]:
    return [type(e).__name__ for e in stored(store, f"payment-{order_id}")]


def test_requesting_the_order_total_stores_requested(store: ShopStore, order_id: str) -> None:
    accepted = request_payment(RequestPayment(order_id, 25800, "KRW", "tok_ok"), store)
    again = request_payment(RequestPayment(order_id, 25800, "KRW", "tok_ok"), store)

    assert (accepted.stream_id, accepted.changed, again.changed) == (
        f"payment-{order_id}",
        True,
        False,
    )
    assert names(store, order_id) == ["Requested"]


def test_requesting_another_amount_is_refused(store: ShopStore, order_id: str) -> None:
    with pytest.raises(PaymentAmountMismatch):
        request_payment(RequestPayment(order_id, 100, "KRW", "tok_ok"), store)

    assert names(store, order_id) == []


def test_requesting_a_second_different_payment_is_refused(store: ShopStore, order_id: str) -> None:
    request_payment(RequestPayment(order_id, 25800, "KRW", "tok_ok"), store)

    with pytest.raises(PaymentAlreadyRequested):
        request_payment(RequestPayment(order_id, 25800, "KRW", "tok_other"), store)


def test_requesting_for_an_unknown_order_is_refused(store: ShopStore) -> None:
    with pytest.raises(UnknownOrder):
        request_payment(RequestPayment(new_order_id(), 1, "KRW", "tok_ok"), store)


def test_capture_then_refund_run_once_each(store: ShopStore, order_id: str) -> None:
    request_payment(RequestPayment(order_id, 25800, "KRW", "tok_ok"), store)

    captures = [capture_payment(CapturePayment(order_id, "gw-1"), store) for _ in range(2)]
    refunds = [refund_payment(RefundPayment(order_id, "customer_request"), store) for _ in range(2)]

    assert [a.changed for a in (*captures, *refunds)] == [True, False, True, False]
    assert names(store, order_id) == ["Requested", "Captured", "Refunded"]
    assert stored(store, f"payment-{order_id}")[-1].amount == 25800


def test_a_capture_after_a_timeout_is_late(store: ShopStore, order_id: str) -> None:
    request_payment(RequestPayment(order_id, 25800, "KRW", "tok_timeout"), store)
    time_out_payment(TimeOutPayment(order_id), store)

    capture_payment(CapturePayment(order_id, "gw-1"), store)

    assert stored(store, f"payment-{order_id}")[-1].late is True


def test_refused_transitions_write_nothing(store: ShopStore, order_id: str) -> None:
    request_payment(RequestPayment(order_id, 25800, "KRW", "tok_declined"), store)
    decline_payment(DeclinePayment(order_id, "card_declined"), store)

    with pytest.raises(PaymentAlreadySettled):
        capture_payment(CapturePayment(order_id, "gw-1"), store)
    with pytest.raises(PaymentAlreadySettled):
        time_out_payment(TimeOutPayment(order_id), store)
    with pytest.raises(PaymentNotCaptured):
        refund_payment(RefundPayment(order_id, "nothing"), store)

    assert names(store, order_id) == ["Requested", "Declined"]


def test_commands_on_an_unknown_payment_are_refused(store: ShopStore) -> None:
    with pytest.raises(UnknownPayment):
        capture_payment(CapturePayment(new_order_id(), "gw-1"), store)
