"""The Product aggregate: catalog facts about one sku."""

from __future__ import annotations

from typing import Any

from eventsourcing.domain import event

from domain.product.errors import ProductDiscontinued
from domain.product.values import check_details
from domain.shared.base import Created, EventSourced
from domain.shared.checks import check_int
from domain.shared.ids import product_stream
from domain.shared.money import check_currency

MAX_PRICE = 10**12


class Product(EventSourced):
    """Stream `product-<sku>`.

    Invariants: price > 0 (minor units, one currency for life); name 1..200 characters,
    description at most 5000, category and brand 1..100, at most 50 short string
    attributes; a discontinued product refuses price and detail changes and is not
    orderable. Repeating a change that changes nothing records nothing; so does repeating
    the registration with the values first registered.
    """

    TOPIC = "shop.product"

    class Registered(Created):
        TOPIC = "shop.product.registered"
        sku: str
        name: str
        description: str
        category: str
        brand: str
        price: int
        currency: str
        attributes: dict[str, str]

    class DetailsChanged(EventSourced.Event):
        TOPIC = "shop.product.details_changed"
        name: str
        description: str
        category: str
        brand: str
        attributes: dict[str, str]

    class PriceChanged(EventSourced.Event):
        TOPIC = "shop.product.price_changed"
        price: int
        previous_price: int

    class Discontinued(EventSourced.Event):
        TOPIC = "shop.product.discontinued"

    @staticmethod
    def create_id(sku: str) -> str:
        return product_stream(sku)

    @classmethod
    def register(
        cls,
        sku: str,
        name: str,
        description: str,
        category: str,
        brand: str,
        price: int,
        currency: str,
        attributes: dict[str, str],
    ) -> Product:
        return cls(
            **cls.registration(sku, name, description, category, brand, price, currency, attributes)
        )

    @staticmethod
    def registration(
        sku: str,
        name: str,
        description: str,
        category: str,
        brand: str,
        price: int,
        currency: str,
        attributes: dict[str, str],
    ) -> dict[str, Any]:
        """The checked values a registration records, to compare a repeated one with."""
        product_stream(sku)  # validates the sku
        details = check_details(name, description, category, brand, attributes)
        check_int(price, "price", low=1, high=MAX_PRICE)
        return {"sku": sku, "price": price, "currency": check_currency(currency), **details}

    @event(Registered)
    def __init__(
        self,
        sku: str,
        name: str,
        description: str,
        category: str,
        brand: str,
        price: int,
        currency: str,
        attributes: dict[str, str],
    ) -> None:
        self.sku = sku
        # As registered, not as now: a retried registration must still match after a
        # price or detail change.
        self.registered_with = {
            "sku": sku,
            "price": price,
            "currency": currency,
            "name": name,
            "description": description,
            "category": category,
            "brand": brand,
            "attributes": dict(attributes),
        }
        self._apply_details(name, description, category, brand, attributes)
        self.price = price
        self.currency = currency
        self.is_discontinued = False

    @property
    def is_orderable(self) -> bool:
        return not self.is_discontinued

    @property
    def details(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "category": self.category,
            "brand": self.brand,
            "attributes": dict(self.attributes),
        }

    def change_details(self, **changes: Any) -> None:
        """Change only the given details (name, description, category, brand, attributes)."""
        unknown = set(changes) - set(self.details)
        if unknown:
            raise TypeError(f"not a product detail: {sorted(unknown)}")
        self._require_active()
        given = {name: value for name, value in changes.items() if value is not None}
        new = check_details(**{**self.details, **given})
        if new != self.details:
            self._details_changed(**new)

    def change_price(self, price: int) -> None:
        check_int(price, "price", low=1, high=MAX_PRICE)
        self._require_active()
        if price != self.price:
            self._price_changed(price=price, previous_price=self.price)

    def discontinue(self) -> None:
        if not self.is_discontinued:
            self._discontinued()

    def _require_active(self) -> None:
        if self.is_discontinued:
            raise ProductDiscontinued(f"product {self.sku} is discontinued")

    @event(DetailsChanged)
    def _details_changed(
        self, name: str, description: str, category: str, brand: str, attributes: dict[str, str]
    ) -> None:
        self._apply_details(name, description, category, brand, attributes)

    @event(PriceChanged)
    def _price_changed(self, price: int, previous_price: int) -> None:
        self.price = price

    @event(Discontinued)
    def _discontinued(self) -> None:
        self.is_discontinued = True

    def _apply_details(
        self, name: str, description: str, category: str, brand: str, attributes: dict[str, str]
    ) -> None:
        self.name = name
        self.description = description
        self.category = category
        self.brand = brand
        self.attributes = dict(attributes)
