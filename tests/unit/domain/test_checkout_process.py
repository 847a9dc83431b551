"""Checkout saga decisions: given the saga so far, when an event is observed, then commands.

`when` is what the process manager does with each event: fold it in, then decide.
"""

from __future__ import annotations

from typing import Any

from domain.checkout import (
    Checkout,
    CollectPayment,
    DeadlinePassed,
    Outcome,
    PaymentState,
    SagaCommand,
    begin,
    decide,
    observe,
)
from domain.coupon import RedeemCoupon, RevertRedemption
from domain.inventory import CommitReservation, ReleaseReservation, ReserveStock, ReturnStock
from domain.order import CancelOrder, ConfirmOrder
from domain.payment import RefundPayment, RequestPayment, TimeOutPayment
from tests.builders import (
    at,
    coupon_redeemed,
    new_order_id,
    order_cancellation_requested,
    order_cancelled,
    order_confirmed,
    order_placed,
    payment_captured,
    payment_declined,
    payment_requested,
    payment_timed_out,
    redemption_rejected,
    redemption_reverted,
    reservation_committed,
    reservation_rejected,
    reservation_released,
    stock_reserved,
)

ORDER = new_order_id()
LINES = [
    {"sku": "SKU-1", "name": "Widget", "quantity": 2, "unit_price": 1000},
    {"sku": "SKU-2", "name": "Gadget", "quantity": 1, "unit_price": 3000},
]
CODE = "SPRING10"
TOTAL = 5000
DUE = at("2026-06-01T12:00:30+00:00")


def saga(*history: Any, coupon: str | None = CODE, token: str = "tok_ok") -> Checkout:
    """The Checkout after `history` (upstream events, or "sent" for a capture on its way)."""
    checkout = begin(order_placed(ORDER, lines=LINES, coupon_code=coupon, payment_token=token))
    for past in history:
        if past == "sent":
            checkout.record_capture_sent(DUE)
        else:
            observe(checkout, past)
    checkout.collect_events()
    return checkout


def when(checkout: Checkout, event: Any) -> list[SagaCommand]:
    observe(checkout, event)
    return decide(checkout)


def reserved() -> list[Any]:
    return [stock_reserved("SKU-1", ORDER, 2), stock_reserved("SKU-2", ORDER, 1)]


def paid_up_to(stage: str) -> list[Any]:
    history = [*reserved(), coupon_redeemed(CODE, ORDER), payment_requested(ORDER, TOTAL), "sent"]
    return history + ([payment_captured(ORDER)] if stage == "captured" else [])


# Happy path


def test_a_placed_order_reserves_every_line() -> None:
    placed = order_placed(ORDER, lines=LINES)
    checkout = begin(placed)

    assert when(checkout, placed) == [
        ReserveStock("SKU-1", ORDER, 2),
        ReserveStock("SKU-2", ORDER, 1),
    ]


def test_while_a_line_is_undecided_only_that_line_is_asked_for() -> None:
    checkout = saga()

    assert when(checkout, stock_reserved("SKU-1", ORDER, 2)) == [ReserveStock("SKU-2", ORDER, 1)]


def test_every_line_reserved_redeems_the_coupon_for_the_subtotal() -> None:
    checkout = saga(stock_reserved("SKU-1", ORDER, 2))

    commands = when(checkout, stock_reserved("SKU-2", ORDER, 1))

    assert commands == [RedeemCoupon(CODE, ORDER, "cust-1", TOTAL)]


def test_without_a_coupon_every_line_reserved_requests_payment() -> None:
    checkout = saga(stock_reserved("SKU-1", ORDER, 2), coupon=None)

    commands = when(checkout, stock_reserved("SKU-2", ORDER, 1))

    assert commands == [RequestPayment(ORDER, TOTAL, "KRW", "tok_ok")]


def test_a_redeemed_coupon_requests_payment() -> None:
    checkout = saga(*reserved())

    commands = when(checkout, coupon_redeemed(CODE, ORDER))

    assert commands == [RequestPayment(ORDER, TOTAL, "KRW", "tok_ok")]


def test_a_requested_payment_is_collected_through_the_gateway() -> None:
    checkout = saga(*reserved(), coupon_redeemed(CODE, ORDER))

    commands = when(checkout, payment_requested(ORDER, TOTAL))

    assert commands == [CollectPayment(ORDER, TOTAL, "KRW", "tok_ok")]


def test_a_capture_on_its_way_waits_and_is_never_sent_again() -> None:
    checkout = saga(*paid_up_to("sent"))

    assert when(checkout, payment_requested(ORDER, TOTAL)) == []
    assert checkout.payment == PaymentState.SENT


def test_a_captured_payment_commits_every_line_then_confirms_the_order() -> None:
    checkout = saga(*paid_up_to("sent"))

    assert when(checkout, payment_captured(ORDER)) == [
        CommitReservation("SKU-1", ORDER),
        CommitReservation("SKU-2", ORDER),
        ConfirmOrder(ORDER),
    ]


def test_the_confirmed_order_completes_the_saga_and_asks_for_nothing() -> None:
    checkout = saga(*paid_up_to("captured"), reservation_committed("SKU-1", ORDER, 2))

    assert when(checkout, order_confirmed(ORDER)) == []
    assert checkout.outcome == Outcome.CONFIRMED
    assert checkout.is_finished


# Compensations


def test_a_line_out_of_stock_releases_the_lines_reserved_and_cancels() -> None:
    checkout = saga(stock_reserved("SKU-1", ORDER, 2))

    commands = when(checkout, reservation_rejected("SKU-2", ORDER, 1, 0))

    assert commands == [
        RevertRedemption(CODE, ORDER),  # never redeemed: a no-op, listed to be safe
        ReleaseReservation("SKU-1", ORDER),
        CancelOrder(ORDER, "OUT_OF_STOCK"),
    ]


def test_a_rejected_coupon_releases_the_stock_and_cancels() -> None:
    checkout = saga(*reserved())

    commands = when(checkout, redemption_rejected(CODE, ORDER, "limit_reached"))

    assert commands == [
        ReleaseReservation("SKU-1", ORDER),
        ReleaseReservation("SKU-2", ORDER),
        CancelOrder(ORDER, "COUPON_REJECTED"),
    ]


def test_a_declined_payment_releases_stock_reverts_the_coupon_and_cancels() -> None:
    checkout = saga(*paid_up_to("sent"))

    assert when(checkout, payment_declined(ORDER)) == [
        RevertRedemption(CODE, ORDER),
        ReleaseReservation("SKU-1", ORDER),
        ReleaseReservation("SKU-2", ORDER),
        CancelOrder(ORDER, "PAYMENT_DECLINED"),
    ]


def test_the_payment_deadline_times_the_payment_out() -> None:
    checkout = saga(*paid_up_to("sent"))

    assert when(checkout, DeadlinePassed(ORDER)) == [TimeOutPayment(ORDER)]


def test_a_timed_out_payment_compensates_like_a_declined_one() -> None:
    checkout = saga(*paid_up_to("sent"))

    assert when(checkout, payment_timed_out(ORDER)) == [
        RevertRedemption(CODE, ORDER),
        ReleaseReservation("SKU-1", ORDER),
        ReleaseReservation("SKU-2", ORDER),
        CancelOrder(ORDER, "PAYMENT_TIMEOUT"),
    ]


def test_a_capture_after_the_timeout_is_refunded() -> None:
    undone = [redemption_reverted(CODE, ORDER)] + [
        reservation_released(sku, ORDER, 1) for sku in ("SKU-1", "SKU-2")
    ]
    cancelled = order_cancelled(ORDER, "PAYMENT_TIMEOUT")
    checkout = saga(*paid_up_to("sent"), payment_timed_out(ORDER), *undone, cancelled)

    commands = when(checkout, payment_captured(ORDER, late=True, version=2))

    assert commands == [RefundPayment(ORDER, "PAYMENT_TIMEOUT")]


def test_a_customer_cancel_before_confirmation_undoes_what_was_done() -> None:
    checkout = saga(*paid_up_to("sent"))

    assert when(checkout, order_cancellation_requested(ORDER)) == [
        TimeOutPayment(ORDER),  # stop waiting: a capture that still comes is refunded
        RevertRedemption(CODE, ORDER),
        ReleaseReservation("SKU-1", ORDER),
        ReleaseReservation("SKU-2", ORDER),
        CancelOrder(ORDER, "CUSTOMER_REQUEST"),
    ]


def test_a_customer_cancel_after_confirmation_refunds_returns_stock_and_reverts() -> None:
    committed = [reservation_committed(sku, ORDER, 1) for sku in ("SKU-1", "SKU-2")]
    checkout = saga(*paid_up_to("captured"), *committed, order_confirmed(ORDER))

    assert when(checkout, order_cancellation_requested(ORDER)) == [
        RefundPayment(ORDER, "CUSTOMER_REQUEST"),
        RevertRedemption(CODE, ORDER),
        ReturnStock("SKU-1", ORDER),
        ReturnStock("SKU-2", ORDER),
        CancelOrder(ORDER, "CUSTOMER_REQUEST"),
    ]


def test_the_cancelled_order_completes_the_saga() -> None:
    checkout = saga(stock_reserved("SKU-1", ORDER, 2), reservation_rejected("SKU-2", ORDER, 1, 0))

    observe(checkout, order_cancelled(ORDER, "OUT_OF_STOCK"))

    assert (checkout.outcome, checkout.cancel_reason) == (Outcome.CANCELLED, "OUT_OF_STOCK")
    assert checkout.is_finished


def test_a_reservation_reported_after_the_cancel_is_released() -> None:
    rejected = reservation_rejected("SKU-2", ORDER, 1, 0)
    checkout = saga(rejected, order_cancelled(ORDER, "OUT_OF_STOCK"), coupon=None)

    commands = when(checkout, stock_reserved("SKU-1", ORDER, 2))

    assert commands == [ReleaseReservation("SKU-1", ORDER)]


# Duplicates and strangers


def test_an_event_delivered_again_records_nothing_and_asks_for_nothing_new() -> None:
    checkout = saga(*paid_up_to("captured"), order_confirmed(ORDER))

    for again in [*reserved(), payment_captured(ORDER), order_confirmed(ORDER)]:
        assert when(checkout, again) == []
    assert checkout.collect_events() == []


def test_an_older_fact_delivered_late_does_not_move_a_step_backwards() -> None:
    checkout = saga(*paid_up_to("captured"), reservation_committed("SKU-1", ORDER, 2))

    observe(checkout, stock_reserved("SKU-1", ORDER, 2))

    assert checkout.collect_events() == []


def test_events_of_another_order_are_ignored() -> None:
    checkout = saga(stock_reserved("SKU-1", ORDER, 2))

    commands = when(checkout, reservation_rejected("SKU-2", new_order_id(), 1, 0))

    assert commands == [ReserveStock("SKU-2", ORDER, 1)]
    assert checkout.compensation is None


def test_a_fully_discounted_order_is_confirmed_without_asking_for_payment() -> None:
    placed = order_placed(ORDER, lines=LINES, coupon_code=CODE, discount=TOTAL)
    checkout = begin(placed)
    for sku, quantity in (("SKU-1", 2), ("SKU-2", 1)):
        observe(checkout, stock_reserved(sku, ORDER, quantity))

    commands = when(checkout, coupon_redeemed(CODE, ORDER))

    assert commands == [
        CommitReservation("SKU-1", ORDER),
        CommitReservation("SKU-2", ORDER),
        ConfirmOrder(ORDER),
    ]


# Purity


def test_deciding_records_nothing_and_gives_the_same_answer_twice() -> None:
    checkout = saga(*reserved(), coupon_redeemed(CODE, ORDER))

    first, second = decide(checkout), decide(checkout)

    assert first == second == [RequestPayment(ORDER, TOTAL, "KRW", "tok_ok")]
    assert checkout.collect_events() == []


def test_the_deadline_counts_only_while_it_is_the_event_in_hand() -> None:
    checkout = saga(*paid_up_to("sent"), DeadlinePassed(ORDER))
    assert decide(checkout) == [TimeOutPayment(ORDER)]

    observe(checkout, stock_reserved("SKU-1", ORDER, 2))  # delivered again

    assert decide(checkout) == []
