"""Payment: given past events, when a command method runs, then these new events."""

from __future__ import annotations

import pytest

from domain.payment import Payment, PaymentAlreadySettled, PaymentNotCaptured
from domain.shared.base import InvalidInput
from tests.builders import (
    given,
    new_order_id,
    payment_captured,
    payment_declined,
    payment_refunded,
    payment_requested,
    payment_timed_out,
)


def test_requesting_a_payment_records_requested() -> None:
    order_id = new_order_id()

    payment = Payment.request(order_id, 25800, "KRW", "tok_ok")

    [new_event] = payment.collect_events()
    assert isinstance(new_event, Payment.Requested)
    assert new_event.originator_id == f"payment-{order_id}"
    assert (new_event.amount, new_event.currency, new_event.token) == (25800, "KRW", "tok_ok")
    assert payment.status == "REQUESTED"


@pytest.mark.parametrize(
    ("order_id", "amount", "currency", "token"),
    [
        ("x", 1, "KRW", "t"),
        (new_order_id(), -1, "KRW", "t"),
        (new_order_id(), 1, "", "t"),
        (new_order_id(), 1, "KRW", ""),
    ],
)
def test_requesting_with_malformed_values_is_refused(
    order_id: str, amount: int, currency: str, token: str
) -> None:
    with pytest.raises(InvalidInput):
        Payment.request(order_id, amount, currency, token)


def test_capturing_a_requested_payment_records_captured_on_time() -> None:
    payment = given(payment_requested(new_order_id()))

    payment.capture("gw-42")

    [new_event] = payment.collect_events()
    assert isinstance(new_event, Payment.Captured)
    assert (new_event.gateway_reference, new_event.late) == ("gw-42", False)


def test_capturing_after_a_timeout_records_a_late_capture() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id), payment_timed_out(order_id))

    payment.capture("gw-42")

    [new_event] = payment.collect_events()
    assert new_event.late is True


def test_capturing_twice_records_nothing() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id), payment_captured(order_id))

    payment.capture("gw-other")

    assert payment.collect_events() == []


def test_capturing_a_declined_payment_is_refused() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id), payment_declined(order_id))

    with pytest.raises(PaymentAlreadySettled):
        payment.capture("gw-1")

    assert payment.collect_events() == []


def test_declining_a_requested_payment_records_declined() -> None:
    payment = given(payment_requested(new_order_id()))

    payment.decline("insufficient_funds")

    [new_event] = payment.collect_events()
    assert isinstance(new_event, Payment.Declined)
    assert new_event.reason == "insufficient_funds"


def test_declining_twice_records_nothing() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id), payment_declined(order_id))

    payment.decline("again")

    assert payment.collect_events() == []


def test_declining_a_captured_payment_is_refused() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id), payment_captured(order_id))

    with pytest.raises(PaymentAlreadySettled):
        payment.decline("late")

    assert payment.collect_events() == []


def test_timing_out_a_requested_payment_records_timed_out_once() -> None:
    payment = given(payment_requested(new_order_id()))

    payment.time_out()
    payment.time_out()

    [new_event] = payment.collect_events()
    assert isinstance(new_event, Payment.TimedOut)


def test_timing_out_a_captured_payment_is_refused() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id), payment_captured(order_id))

    with pytest.raises(PaymentAlreadySettled):
        payment.time_out()

    assert payment.collect_events() == []


def test_refunding_a_captured_payment_records_refunded_for_the_full_amount() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id, amount=25800), payment_captured(order_id))

    payment.refund("customer_request")

    [new_event] = payment.collect_events()
    assert isinstance(new_event, Payment.Refunded)
    assert (new_event.amount, new_event.reason) == (25800, "customer_request")


def test_refunding_twice_records_nothing() -> None:
    order_id = new_order_id()
    payment = given(
        payment_requested(order_id), payment_captured(order_id), payment_refunded(order_id)
    )

    payment.refund("again")
    payment.capture("gw-2")

    assert payment.collect_events() == []


def test_refunding_an_uncaptured_payment_is_refused() -> None:
    payment = given(payment_requested(new_order_id()))

    with pytest.raises(PaymentNotCaptured):
        payment.refund("nothing to give back")

    assert payment.collect_events() == []


def test_refunding_more_than_was_captured_is_refused() -> None:
    order_id = new_order_id()
    payment = given(payment_requested(order_id, amount=100), payment_captured(order_id))

    with pytest.raises(InvalidInput):
        payment.refund("too much", amount=101)

    assert payment.collect_events() == []
