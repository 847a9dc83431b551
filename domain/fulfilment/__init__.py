"""The fulfilment process manager's domain: its memory of an order, and its decisions."""

from domain.fulfilment.aggregate import Fulfilment
from domain.fulfilment.process import decide, reference
from domain.fulfilment.steps import (
    AskLabel,
    Exchange,
    HandOver,
    OpenParcel,
    Refund,
    Restock,
    Step,
    VoidLabel,
)

__all__ = [
    "AskLabel",
    "Exchange",
    "Fulfilment",
    "HandOver",
    "OpenParcel",
    "Refund",
    "Restock",
    "Step",
    "VoidLabel",
    "decide",
    "reference",
]
