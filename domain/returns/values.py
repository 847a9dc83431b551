"""The kinds and states of a return, and what a return's lines are worth."""

from __future__ import annotations

from enum import StrEnum


class ReturnKind(StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"


class ReturnStatus(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    RECEIVED = "RECEIVED"
    REFUNDED = "REFUNDED"
    EXCHANGED = "EXCHANGED"


TERMINAL = frozenset({ReturnStatus.REJECTED, ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED})


def refund_share(value: int, subtotal: int, discount: int) -> int:
    """What `value` (unit price x quantity of some lines) of an order cost after its
    discount: the value less its pro-rata share of the discount, rounded in the shop's
    favour (the discount's share up).

    Summed over returns that split an order's units any way, the shares never exceed
    the total paid: each is at most value - discount*value/subtotal exactly, and those
    add up to subtotal - discount. Integer minor units throughout, no floats.
    """
    if subtotal <= 0:
        return 0
    discount_share = -(-discount * value // subtotal)  # ceiling division
    return max(0, value - discount_share)
