"""What can be asked of an order: place it, confirm it, cancel it, ask to cancel it.

Frozen dataclasses in the domain's words, so the checkout saga's decisions can return
them; `commands/order.py` carries them out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RequestedLine:
    sku: str
    quantity: int


@dataclass(frozen=True)
class PlaceOrder:
    """`lines` are `RequestedLine`s or `{"sku", "quantity"}` mappings; a sku given twice
    is one line with the quantities summed."""

    customer_id: str
    idempotency_key: str
    lines: Sequence[RequestedLine | Mapping[str, Any]]
    coupon_code: str | None = None
    payment_token: str = ""
    shipping_address: Mapping[str, str] | None = field(default=None)
    contact: Mapping[str, str] | None = field(default=None)  # {"email"}


@dataclass(frozen=True)
class ConfirmOrder:
    order_id: str


@dataclass(frozen=True)
class CancelOrder:
    order_id: str
    reason: str


@dataclass(frozen=True)
class RequestCancellation:
    """`owner`: the customer asking, who must own the order (None: an admin, any order)."""

    order_id: str
    requested_by: str
    owner: str | None = None
