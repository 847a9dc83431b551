"""Refusals of the Order aggregate and of placing an order."""

from __future__ import annotations

from domain.shared.base import DomainError, InvalidInput, NotFound


class UnknownOrder(NotFound):
    code = "unknown_order"


class OrderAlreadyCancelled(DomainError):
    code = "order_already_cancelled"


class OrderAlreadyConfirmed(DomainError):
    """A confirmed order can only be cancelled at the customer's request."""

    code = "order_already_confirmed"


class MixedCurrencies(InvalidInput):
    code = "mixed_currencies"
