"""Stock: one InventoryItem aggregate per sku."""

from domain.inventory.aggregate import InventoryItem
from domain.inventory.commands import (
    AdjustStock,
    CommitReservation,
    ReceiveStock,
    ReleaseReservation,
    ReserveStock,
    RestockReturn,
    ReturnStock,
)
from domain.inventory.errors import InsufficientStock, UnknownInventoryItem
from domain.shared.base import IdempotencyKeyReused

__all__ = [
    "AdjustStock",
    "CommitReservation",
    "IdempotencyKeyReused",
    "InsufficientStock",
    "InventoryItem",
    "ReceiveStock",
    "ReleaseReservation",
    "ReserveStock",
    "RestockReturn",
    "ReturnStock",
    "UnknownInventoryItem",
]
