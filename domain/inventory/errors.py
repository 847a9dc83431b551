"""Refusals of the InventoryItem aggregate."""

from __future__ import annotations

from domain.shared.base import DomainError, NotFound


class InsufficientStock(DomainError):
    """An adjustment would take stock on hand below what is reserved for orders."""

    code = "insufficient_stock"


class IdempotencyKeyReused(DomainError):
    """A request id already applied here came back with other values: a reused key."""

    code = "idempotency_key_reused"


class UnknownInventoryItem(NotFound):
    code = "unknown_inventory_item"
