"""Payments: one Payment aggregate per order."""

from domain.payment.aggregate import Payment
from domain.payment.errors import (
    PaymentAlreadyRequested,
    PaymentAlreadySettled,
    PaymentAmountMismatch,
    PaymentNotCaptured,
    UnknownPayment,
)
from domain.payment.values import PaymentStatus

__all__ = [
    "Payment",
    "PaymentAlreadyRequested",
    "PaymentAlreadySettled",
    "PaymentAmountMismatch",
    "PaymentNotCaptured",
    "PaymentStatus",
    "UnknownPayment",
]
