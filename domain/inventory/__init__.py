"""Stock: one InventoryItem aggregate per sku."""

from domain.inventory.aggregate import InventoryItem
from domain.inventory.errors import InsufficientStock, UnknownInventoryItem
from domain.shared.base import IdempotencyKeyReused

__all__ = ["IdempotencyKeyReused", "InsufficientStock", "InventoryItem", "UnknownInventoryItem"]
