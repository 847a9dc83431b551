"""The checkout saga: its state (`Checkout`) and its pure decisions (`next_commands`)."""

from domain.checkout.aggregate import Checkout
from domain.checkout.commands import CollectPayment
from domain.checkout.process import begin, next_commands, order_of
from domain.checkout.values import CouponState, DeadlinePassed, LineState, Outcome, PaymentState

__all__ = [
    "Checkout",
    "CollectPayment",
    "CouponState",
    "DeadlinePassed",
    "LineState",
    "Outcome",
    "PaymentState",
    "begin",
    "next_commands",
    "order_of",
]
