"""Orders: one Order aggregate per order uuid."""

from domain.order.aggregate import Order
from domain.order.commands import (
    CancelOrder,
    ConfirmOrder,
    PlaceOrder,
    RequestCancellation,
    RequestedLine,
)
from domain.order.errors import (
    MixedCurrencies,
    OrderAlreadyCancelled,
    OrderAlreadyConfirmed,
    UnknownOrder,
)
from domain.order.values import CancelReason, OrderLine, OrderStatus, PricedLine, merge_quantities

__all__ = [
    "CancelOrder",
    "CancelReason",
    "ConfirmOrder",
    "MixedCurrencies",
    "Order",
    "OrderAlreadyCancelled",
    "OrderAlreadyConfirmed",
    "OrderLine",
    "OrderStatus",
    "PlaceOrder",
    "PricedLine",
    "RequestCancellation",
    "RequestedLine",
    "UnknownOrder",
    "merge_quantities",
]
