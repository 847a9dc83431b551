"""The states of a payment."""

from __future__ import annotations

from enum import StrEnum


class PaymentStatus(StrEnum):
    REQUESTED = "REQUESTED"
    CAPTURED = "CAPTURED"
    DECLINED = "DECLINED"
    TIMED_OUT = "TIMED_OUT"
    PARTIALLY_REFUNDED = "PARTIALLY_REFUNDED"
    REFUNDED = "REFUNDED"
