"""Answers of the order queries: detail, history page and timeline."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel


class OrderLine(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: int


class OrderDetail(BaseModel):
    order_id: str
    customer_id: str
    status: Literal["PENDING", "CONFIRMED", "CANCELLED"]
    lines: list[OrderLine]
    subtotal: int
    discount: int
    total: int
    currency: str
    coupon_code: str | None
    payment_status: str | None
    cancel_reason: str | None
    created_at: str
    updated_at: str


class OrderPage(BaseModel):
    """A customer's orders, newest first."""

    total: int
    page: int
    size: int
    items: list[OrderDetail]


class TimelineEntry(BaseModel):
    position: int
    stream: str
    version: int
    type: str
    at: str
    data: dict[str, Any]
    metadata: dict[str, str]


class Timeline(BaseModel):
    """The order's facts in log order, across its order, payment, stock and coupon streams."""

    order_id: str
    events: list[TimelineEntry]
