"""Stock: one InventoryItem aggregate per sku."""

from domain.inventory.aggregate import InventoryItem
from domain.inventory.errors import InsufficientStock, UnknownInventoryItem

__all__ = ["InsufficientStock", "InventoryItem", "UnknownInventoryItem"]
