"""What can be asked of a product: register it, change its details or price, discontinue it.

Frozen dataclasses in the domain's words, so the checkout saga's decisions can return
them; `commands/product.py` carries them out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RegisterProduct:
    sku: str
    name: str
    description: str
    category: str
    brand: str
    price: int
    currency: str
    attributes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ChangeProductDetails:
    """Only the fields given (not None) change; `expected_version` is the caller's If-Match."""

    sku: str
    name: str | None = None
    description: str | None = None
    category: str | None = None
    brand: str | None = None
    attributes: Mapping[str, str] | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ChangePrice:
    sku: str
    price: int
    expected_version: int | None = None


@dataclass(frozen=True)
class DiscontinueProduct:
    sku: str
    expected_version: int | None = None
