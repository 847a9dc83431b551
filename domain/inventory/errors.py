"""Refusals of the InventoryItem aggregate."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class InsufficientStock(DomainError):
    """An adjustment would take stock on hand below what is reserved for orders."""

    code = "insufficient_stock"


class UnknownInventoryItem(NotFound):
    code = "unknown_inventory_item"
