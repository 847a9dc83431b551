"""Order queries: detail, a customer's history and the cross-aggregate timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from projections.order_views.view import OrderViews
from queries.errors import check_choice, check_paging, check_text

STATUSES = ("PENDING", "CONFIRMED", "CANCELLED")


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price: int


@dataclass(frozen=True)
class OrderSummary:
    order_id: str
    customer_id: str
    status: str
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


@dataclass(frozen=True)
class OrderPage:
    total: int
    page: int
    size: int
    items: list[OrderSummary]


@dataclass(frozen=True)
class TimelineEntry:
    position: int
    stream: str
    version: int
    type: str
    at: str
    data: dict[str, Any]
    metadata: dict[str, str]


def summary(doc: dict[str, Any]) -> OrderSummary:
    fields = {name: doc.get(name) for name in OrderSummary.__dataclass_fields__}
    fields["lines"] = [OrderLine(**line) for line in doc["lines"]]
    return OrderSummary(**fields)


def timeline_entry(e: dict[str, Any]) -> TimelineEntry:
    data, metadata = e.get("data") or {}, e.get("metadata") or {}
    return TimelineEntry(
        e["position"], e["stream"], e["version"], e["type"], e["at"], data, metadata
    )


@dataclass(frozen=True)
class GetOrderSummary:
    views: OrderViews

    def __call__(self, order_id: str) -> OrderSummary | None:
        doc = self.views.get_order(check_text(order_id, "order_id", 100))
        return None if doc is None else summary(doc)


@dataclass(frozen=True)
class ListCustomerOrders:
    views: OrderViews

    def __call__(
        self, customer_id: str, status: str | None = None, page: int = 1, size: int = 20
    ) -> OrderPage:
        check_text(customer_id, "customer_id")
        if status is not None:
            check_choice(status, "status", STATUSES)
        offset = check_paging(page, size)
        total, docs = self.views.customer_orders(customer_id, status, offset, size)
        return OrderPage(total, page, size, [summary(doc) for doc in docs])


@dataclass(frozen=True)
class GetOrderTimeline:
    views: OrderViews

    def __call__(self, order_id: str) -> list[TimelineEntry] | None:
        """The order's facts in log order; None when no event names the order."""
        entries = self.views.timeline(check_text(order_id, "order_id", 100))
        return [timeline_entry(entry) for entry in entries] or None
