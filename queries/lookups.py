"""Key lookups answered from the hot lookups view: stock, product, order status, coupon."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

from projections.hot_lookups.view import HotLookups
from queries.errors import check_text

T = TypeVar("T")


@dataclass(frozen=True)
class StockLevel:
    sku: str
    on_hand: int
    reserved: int
    available: int
    version: int | None = None  # the stream's version: None in views built before it was kept


@dataclass(frozen=True)
class ProductDetail:
    sku: str
    name: str
    description: str
    category: str
    brand: str
    price: int
    currency: str
    attributes: dict[str, str]
    discontinued: bool
    registered_at: str | None
    updated_at: str | None
    version: int | None = None


@dataclass(frozen=True)
class OrderStatus:
    order_id: str
    customer_id: str
    status: str
    payment_status: str | None
    updated_at: str | None


@dataclass(frozen=True)
class CouponDetail:
    code: str
    kind: str
    value: int
    currency: str | None  # None for a percent coupon, or a fixed one for any currency
    min_order_total: int
    max_redemptions: int | None
    per_customer_limit: int | None
    valid_from: str | None
    valid_until: str | None
    redemptions: int
    disabled: bool
    version: int | None = None


def from_doc(cls: type[T], doc: dict[str, Any] | None) -> T | None:
    if doc is None:
        return None
    return cls(**{f.name: doc.get(f.name) for f in fields(cls)})  # type: ignore[arg-type]


@dataclass(frozen=True)
class GetStock:
    view: HotLookups

    def __call__(self, sku: str) -> StockLevel | None:
        return from_doc(StockLevel, self.view.stock(check_text(sku, "sku", 64)))


@dataclass(frozen=True)
class GetProduct:
    view: HotLookups

    def __call__(self, sku: str) -> ProductDetail | None:
        doc = self.view.product(check_text(sku, "sku", 64))
        if doc is None or "name" not in doc:
            return None
        return from_doc(ProductDetail, doc)


@dataclass(frozen=True)
class GetOrderStatus:
    view: HotLookups

    def __call__(self, order_id: str) -> OrderStatus | None:
        return from_doc(OrderStatus, self.view.order_status(check_text(order_id, "order_id", 100)))


@dataclass(frozen=True)
class GetCoupon:
    view: HotLookups

    def __call__(self, code: str) -> CouponDetail | None:
        doc = self.view.coupon(check_text(code, "code", 32))
        # The event stores "" for "no currency"; the answer says so with null.
        return from_doc(CouponDetail, doc and doc | {"currency": doc.get("currency") or None})
