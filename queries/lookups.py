"""Key lookups answered from the hot lookups view: stock, product, order status, coupon.

`version` is the stream's version (None in views built before it was kept): the API sends
it as `ETag`, never in the body, so it is excluded from serialisation and the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel, Field

from queries.errors import check_text
from queries.orders import OrderStatusName

T = TypeVar("T", bound=BaseModel)


class HotLookupsReader(Protocol):
    """What the lookups read: one document by kind and key, or None."""

    def stock(self, sku: str) -> dict[str, Any] | None: ...

    def product(self, sku: str) -> dict[str, Any] | None: ...

    def order_status(self, order_id: str) -> dict[str, Any] | None: ...

    def coupon(self, code: str) -> dict[str, Any] | None: ...


class StockLevel(BaseModel):
    sku: str
    on_hand: int
    reserved: int
    available: int
    version: int | None = Field(default=None, exclude=True)


class ProductDetail(BaseModel):
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
    version: int | None = Field(default=None, exclude=True)


class OrderProgress(BaseModel):
    order_id: str
    customer_id: str
    status: OrderStatusName
    payment_status: str | None
    fulfilment_status: str | None = Field(
        default=None, description="The order's shipment status; null before one is opened."
    )
    updated_at: str | None


class CouponDetail(BaseModel):
    code: str
    kind: str
    value: int
    currency: str | None = Field(
        description="Only orders in this currency; null for percent coupons and any-currency ones."
    )
    min_order_total: int
    max_redemptions: int | None
    per_customer_limit: int | None
    valid_from: str | None
    valid_until: str | None
    redemptions: int
    disabled: bool
    version: int | None = Field(default=None, exclude=True)


def from_doc(cls: type[T], doc: dict[str, Any] | None) -> T | None:
    if doc is None:
        return None
    return cls(**{name: doc.get(name) for name in cls.model_fields})


@dataclass(frozen=True)
class GetStock:
    view: HotLookupsReader

    def __call__(self, sku: str) -> StockLevel | None:
        return from_doc(StockLevel, self.view.stock(check_text(sku, "sku", 64)))


@dataclass(frozen=True)
class GetProduct:
    view: HotLookupsReader

    def __call__(self, sku: str) -> ProductDetail | None:
        doc = self.view.product(check_text(sku, "sku", 64))
        if doc is None or "name" not in doc:
            return None
        return from_doc(ProductDetail, doc)


@dataclass(frozen=True)
class GetOrderStatus:
    view: HotLookupsReader

    def __call__(self, order_id: str) -> OrderProgress | None:
        doc = self.view.order_status(check_text(order_id, "order_id", 100))
        return from_doc(OrderProgress, doc)


@dataclass(frozen=True)
class GetCoupon:
    view: HotLookupsReader

    def __call__(self, code: str) -> CouponDetail | None:
        doc = self.view.coupon(check_text(code, "code", 32))
        # The event stores "" for "no currency"; the answer says so with null.
        return from_doc(CouponDetail, doc and doc | {"currency": doc.get("currency") or None})


@dataclass(frozen=True)
class LookupQueries:
    """The key lookups the API serves, over one hot lookups store."""

    product: GetProduct
    stock: GetStock
    coupon: GetCoupon
    order_status: GetOrderStatus

    @classmethod
    def over(cls, view: HotLookupsReader) -> LookupQueries:
        return cls(GetProduct(view), GetStock(view), GetCoupon(view), GetOrderStatus(view))
