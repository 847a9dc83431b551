"""The checkout saga: its state (`Checkout`), its fold (`observe`), its decisions (`decide`),
and the steps one saga partition may ask of another (`asks`)."""

from domain.checkout.aggregate import Checkout
from domain.checkout.asks import ASKABLE_KINDS, AskableCommand, rebuilt
from domain.checkout.commands import CollectPayment
from domain.checkout.facts import begin, observe, order_of
from domain.checkout.process import SagaCommand, decide
from domain.checkout.values import CouponState, DeadlinePassed, LineState, Outcome, PaymentState

__all__ = [
    "ASKABLE_KINDS",
    "AskableCommand",
    "Checkout",
    "CollectPayment",
    "CouponState",
    "DeadlinePassed",
    "LineState",
    "Outcome",
    "PaymentState",
    "SagaCommand",
    "begin",
    "decide",
    "observe",
    "order_of",
    "rebuilt",
]
