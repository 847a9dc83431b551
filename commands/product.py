"""Catalog handlers: register a product, change its details or price, discontinue it.

The commands are domain vocabulary (`domain/product/commands.py`); here they meet the store."""

from __future__ import annotations

from commands.handling import accept, check_version, load, unchanged
from commands.ports import EventStore
from commands.results import Accepted
from domain.product import (
    ChangePrice,
    ChangeProductDetails,
    DiscontinueProduct,
    Product,
    ProductAlreadyRegistered,
    RegisterProduct,
    UnknownProduct,
)
from domain.shared.ids import product_stream


def register_product(cmd: RegisterProduct, store: EventStore) -> Accepted:
    """The sku is the registration's key: the same values again are a repeat (version 0,
    the registration's), other values a refusal, whatever has changed since."""
    values = Product.registration(
        cmd.sku,
        cmd.name,
        cmd.description,
        cmd.category,
        cmd.brand,
        cmd.price,
        cmd.currency,
        dict(cmd.attributes),
    )
    existing: Product | None = store.find(product_stream(cmd.sku))
    if existing is None:
        return accept(store, Product(**values))
    if existing.registered_with != values:
        raise ProductAlreadyRegistered(f"product {cmd.sku} is already registered")
    return unchanged(existing.id, Product.INITIAL_VERSION)


def change_product_details(cmd: ChangeProductDetails, store: EventStore) -> Accepted:
    product: Product = load(store, product_stream(cmd.sku), UnknownProduct)
    check_version(product, cmd.expected_version)
    attributes = None if cmd.attributes is None else dict(cmd.attributes)
    product.change_details(
        name=cmd.name,
        description=cmd.description,
        category=cmd.category,
        brand=cmd.brand,
        attributes=attributes,
    )
    return accept(store, product)


def change_price(cmd: ChangePrice, store: EventStore) -> Accepted:
    product: Product = load(store, product_stream(cmd.sku), UnknownProduct)
    check_version(product, cmd.expected_version)
    product.change_price(cmd.price)
    return accept(store, product)


def discontinue_product(cmd: DiscontinueProduct, store: EventStore) -> Accepted:
    product: Product = load(store, product_stream(cmd.sku), UnknownProduct)
    if product.is_discontinued:  # a repeat: nothing can follow it, so this is its version
        return unchanged(product.id, product.version)
    check_version(product, cmd.expected_version)
    product.discontinue()
    return accept(store, product)
