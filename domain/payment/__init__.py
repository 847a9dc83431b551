"""Payments: one Payment aggregate per order."""

from domain.payment.aggregate import Payment
from domain.payment.commands import (
    CapturePayment,
    DeclinePayment,
    RefundPart,
    RefundPayment,
    RequestPayment,
    TimeOutPayment,
)
from domain.payment.errors import (
    PaymentAlreadyRequested,
    PaymentAlreadySettled,
    PaymentAmountMismatch,
    PaymentNotCaptured,
    UnknownPayment,
)
from domain.payment.values import PaymentStatus

__all__ = [
    "CapturePayment",
    "DeclinePayment",
    "Payment",
    "PaymentAlreadyRequested",
    "PaymentAlreadySettled",
    "PaymentAmountMismatch",
    "PaymentNotCaptured",
    "PaymentStatus",
    "RefundPart",
    "RefundPayment",
    "RequestPayment",
    "TimeOutPayment",
    "UnknownPayment",
]
