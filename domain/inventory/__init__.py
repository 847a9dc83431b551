"""Stock: one InventoryItem aggregate per sku."""

from domain.inventory.aggregate import InventoryItem
from domain.inventory.errors import IdempotencyKeyReused, InsufficientStock, UnknownInventoryItem

__all__ = ["IdempotencyKeyReused", "InsufficientStock", "InventoryItem", "UnknownInventoryItem"]
