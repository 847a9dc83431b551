"""What can be asked of a sku's stock: receive and adjust it; reserve, release, commit and
return it for an order.

Frozen dataclasses in the domain's words, so the checkout saga's decisions can return
them; `commands/inventory.py` carries them out."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReceiveStock:
    """`request_id` makes a retry a no-op; `expected_version` is the caller's If-Match."""

    sku: str
    quantity: int
    request_id: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class AdjustStock:
    sku: str
    delta: int
    reason: str
    request_id: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ReserveStock:
    sku: str
    order_id: str
    quantity: int


@dataclass(frozen=True)
class ReleaseReservation:
    sku: str
    order_id: str


@dataclass(frozen=True)
class CommitReservation:
    sku: str
    order_id: str


@dataclass(frozen=True)
class ReturnStock:
    sku: str
    order_id: str


@dataclass(frozen=True)
class RestockReturn:
    sku: str
    return_id: str
    quantity: int
