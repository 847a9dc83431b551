"""Order queries: detail, a customer's history and the cross-aggregate timeline."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

from pydantic import BaseModel, Field

from domain.order import OrderStatus
from queries.errors import check_choice, check_paging, check_text
from queries.fulfilment import Fulfilment, ReturnSummary, pick

STATUSES = tuple(OrderStatus)

# The statuses as a `Literal` built from the enum: a new status reaches the API by itself,
# and the schema and a 422's message name the plain strings, as they always have. Type
# checkers cannot read a computed `Literal`, so they see `str`.
if TYPE_CHECKING:
    OrderStatusName: TypeAlias = str
else:
    OrderStatusName = Literal[tuple(status.value for status in OrderStatus)]


class OrderViewsReader(Protocol):
    """What the order queries read: order documents (a page newest first) and timeline rows."""

    def get_order(self, order_id: str) -> dict[str, Any] | None: ...

    def customer_orders(
        self, customer_id: str, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]: ...

    def timeline(self, order_id: str) -> list[dict[str, Any]]: ...


class OrderLine(BaseModel):
    sku: str
    name: str
    quantity: int
    unit_price: int


class OrderDetail(BaseModel):
    order_id: str
    customer_id: str
    status: OrderStatusName
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
    fulfilment: Fulfilment | None = Field(description="The order's shipment; null before one.")
    returns: list[ReturnSummary]
    refunded_total: int = Field(description="Refunded so far, in minor units.")


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
    """The order's facts in log order, across its order, payment, stock, coupon, shipment
    and return streams."""

    order_id: str
    events: list[TimelineEntry]


def detail(doc: dict[str, Any]) -> OrderDetail:
    plain = {name: doc.get(name) for name in OrderDetail.model_fields}
    shipment, returns = doc.get("fulfilment"), doc.get("returns") or []
    plain["fulfilment"] = None if shipment is None else pick(Fulfilment, shipment)
    plain["returns"] = [pick(ReturnSummary, r) for r in returns]
    plain["refunded_total"] = doc.get("refunded_total") or 0
    return OrderDetail(**plain)


def timeline_entry(e: dict[str, Any]) -> TimelineEntry:
    data, metadata = e.get("data") or {}, e.get("metadata") or {}
    fields = {name: e[name] for name in ("position", "stream", "version", "type", "at")}
    return TimelineEntry(**fields, data=data, metadata=metadata)


@dataclass(frozen=True)
class GetOrderSummary:
    views: OrderViewsReader

    def __call__(self, order_id: str) -> OrderDetail | None:
        doc = self.views.get_order(check_text(order_id, "order_id", 100))
        return None if doc is None else detail(doc)


@dataclass(frozen=True)
class ListCustomerOrders:
    views: OrderViewsReader

    def __call__(
        self, customer_id: str, status: str | None = None, page: int = 1, size: int = 20
    ) -> OrderPage:
        check_text(customer_id, "customer_id")
        if status is not None:
            status = check_choice(status, "status", STATUSES)
        offset = check_paging(page, size)
        total, docs = self.views.customer_orders(customer_id, status, offset, size)
        return OrderPage(total=total, page=page, size=size, items=[detail(d) for d in docs])


@dataclass(frozen=True)
class GetOrderTimeline:
    views: OrderViewsReader

    def __call__(self, order_id: str) -> list[TimelineEntry] | None:
        """The order's facts in log order; None when no event names the order."""
        entries = self.views.timeline(check_text(order_id, "order_id", 100))
        return [timeline_entry(entry) for entry in entries] or None


@dataclass(frozen=True)
class OrderQueries:
    """The order reads the API serves, over one order views store."""

    summary: GetOrderSummary
    customer_orders: ListCustomerOrders
    timeline: GetOrderTimeline

    @classmethod
    def over(cls, views: OrderViewsReader) -> OrderQueries:
        return cls(GetOrderSummary(views), ListCustomerOrders(views), GetOrderTimeline(views))
