"""Order lines, statuses and cancellation reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from domain.shared.base import InvalidInput
from domain.shared.checks import check_int
from domain.shared.ids import check_sku

MAX_LINES = 50
MAX_LINE_QUANTITY = 1000


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


class CancelReason(StrEnum):
    OUT_OF_STOCK = "OUT_OF_STOCK"
    COUPON_REJECTED = "COUPON_REJECTED"
    PAYMENT_DECLINED = "PAYMENT_DECLINED"
    PAYMENT_TIMEOUT = "PAYMENT_TIMEOUT"
    CUSTOMER_REQUEST = "CUSTOMER_REQUEST"


@dataclass(frozen=True)
class OrderLine:
    """One priced line: the product's name and price as they were at placement."""

    sku: str
    name: str
    quantity: int
    unit_price: int

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PricedLine:
    """A line about to be placed: the catalog's name, price and currency right now."""

    sku: str
    name: str
    quantity: int
    unit_price: int
    currency: str

    @property
    def amount(self) -> int:
        return self.quantity * self.unit_price

    def line(self) -> OrderLine:
        return OrderLine(self.sku, self.name, self.quantity, self.unit_price)


def merge_quantities(requested: list[tuple[str, int]]) -> dict[str, int]:
    """Quantity per sku, first appearance first; a sku named twice has its quantities summed.

    Checks 1..50 distinct skus and 1..1000 per line (after merging).
    """
    if not 1 <= len(requested) <= MAX_LINES:
        raise InvalidInput(f"an order has 1..{MAX_LINES} lines, got {len(requested)}")
    merged: dict[str, int] = {}
    for sku, quantity in requested:
        check_int(quantity, "quantity", low=1, high=MAX_LINE_QUANTITY)
        merged[check_sku(sku)] = merged.get(sku, 0) + quantity
    for sku, quantity in merged.items():
        check_int(quantity, f"quantity of {sku}", low=1, high=MAX_LINE_QUANTITY)
    return merged
