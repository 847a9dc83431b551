"""Answers of the catalog, stock and coupon queries."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProductHit(BaseModel):
    sku: str
    name: str
    description: str
    category: str
    brand: str
    price: int
    currency: str
    attributes: dict[str, str]
    available: int
    in_stock: bool


class Facets(BaseModel):
    category: dict[str, int] = Field(default_factory=dict, description="Matches per category.")
    brand: dict[str, int] = Field(default_factory=dict, description="Matches per brand.")


class CatalogPage(BaseModel):
    total: int
    page: int
    size: int
    items: list[ProductHit]
    facets: Facets


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


class StockLevel(BaseModel):
    sku: str
    on_hand: int
    reserved: int
    available: int


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


class ProjectionStatus(BaseModel):
    name: str
    position: int
    head: int
    lag_events: int
    lag_seconds: float
