"""Refusals of the Payment aggregate."""

from __future__ import annotations

from domain.shared.base import DomainError, InvalidInput, NotFound


class UnknownPayment(NotFound):
    code = "unknown_payment"


class PaymentAlreadyRequested(DomainError):
    """The order's payment exists with another amount, currency or token."""

    code = "payment_already_requested"


class PaymentAlreadySettled(DomainError):
    """The gateway's answer is already recorded (declined, timed out or captured)."""

    code = "payment_already_settled"


class PaymentNotCaptured(DomainError):
    code = "payment_not_captured"


class PaymentAmountMismatch(InvalidInput):
    code = "payment_amount_mismatch"
