"""Catalog commands: register a product, change its details or price, discontinue it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from commands.handling import accept, load
from commands.ports import EventStore
from commands.results import Accepted
from domain.product import Product, ProductAlreadyRegistered, UnknownProduct
from domain.shared.ids import product_id


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
    """Only the fields given (not None) change."""

    sku: str
    name: str | None = None
    description: str | None = None
    category: str | None = None
    brand: str | None = None
    attributes: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ChangePrice:
    sku: str
    price: int


@dataclass(frozen=True)
class DiscontinueProduct:
    sku: str


def register_product(cmd: RegisterProduct, store: EventStore) -> Accepted:
    if store.find(product_id(cmd.sku)) is not None:
        raise ProductAlreadyRegistered(f"product {cmd.sku} is already registered")
    product = Product.register(
        cmd.sku, cmd.name, cmd.description, cmd.category, cmd.brand,
        cmd.price, cmd.currency, dict(cmd.attributes),
    )  # fmt: skip
    return accept(store, product)


def change_product_details(cmd: ChangeProductDetails, store: EventStore) -> Accepted:
    product: Product = load(store, product_id(cmd.sku), UnknownProduct)
    attributes = None if cmd.attributes is None else dict(cmd.attributes)
    product.change_details(
        name=cmd.name, description=cmd.description, category=cmd.category,
        brand=cmd.brand, attributes=attributes,
    )  # fmt: skip
    return accept(store, product)


def change_price(cmd: ChangePrice, store: EventStore) -> Accepted:
    product: Product = load(store, product_id(cmd.sku), UnknownProduct)
    product.change_price(cmd.price)
    return accept(store, product)


def discontinue_product(cmd: DiscontinueProduct, store: EventStore) -> Accepted:
    product: Product = load(store, product_id(cmd.sku), UnknownProduct)
    product.discontinue()
    return accept(store, product)
