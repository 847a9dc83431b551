"""Orders: one Order aggregate per order uuid."""

from domain.order.aggregate import Order
from domain.order.errors import (
    MixedCurrencies,
    OrderAlreadyCancelled,
    OrderAlreadyConfirmed,
    UnknownOrder,
)
from domain.order.values import CancelReason, OrderLine, OrderStatus, PricedLine, merge_quantities

__all__ = [
    "CancelReason",
    "MixedCurrencies",
    "Order",
    "OrderAlreadyCancelled",
    "OrderAlreadyConfirmed",
    "OrderLine",
    "OrderStatus",
    "PricedLine",
    "UnknownOrder",
    "merge_quantities",
]
