"""Fulfilment queries: the shipments list, one return, and what waits for an admin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, Field

from domain.shipment import ShipmentStatus
from queries.errors import check_choice, check_paging, check_text

SHIPMENT_STATUSES = tuple(ShipmentStatus)


class FulfilmentReader(Protocol):
    """What the fulfilment queries read: shipment and return documents, and counts."""

    def shipments(
        self, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]: ...

    def get_return(self, return_id: str) -> dict[str, Any] | None: ...

    def backlog(self) -> dict[str, int]: ...


class Fulfilment(BaseModel):
    """The order's own shipment (an exchange's is listed under /shipments)."""

    status: str
    carrier: str | None
    tracking_number: str | None
    shipped_at: str | None
    delivered_at: str | None


class ReturnLine(BaseModel):
    sku: str
    quantity: int
    unit_price: int


class ReturnSummary(BaseModel):
    return_id: str
    kind: str
    status: str
    lines: list[ReturnLine]
    refund_amount: int = Field(
        description="The lines' share of what was paid; once refunded, what was refunded."
    )


class ReturnDetail(ReturnSummary):
    order_id: str
    created_at: str
    updated_at: str
    customer_id: str = Field(exclude=True)  # for the owner check, not part of the answer


class ShipmentItem(BaseModel):
    order_id: str
    shipment_id: str
    return_id: str | None = Field(description="Set for an exchange's shipment.")
    status: str
    carrier: str | None
    tracking_number: str | None
    hold_reason: str | None
    shipped_at: str | None
    delivered_at: str | None
    updated_at: str


class ShipmentPage(BaseModel):
    """Shipments, the most recently opened first."""

    total: int
    page: int
    size: int
    items: list[ShipmentItem]


class Backlog(BaseModel):
    shipments_on_hold: int
    returns_awaiting_approval: int


def pick(cls: type[Any], doc: dict[str, Any]) -> Any:
    return cls(**{name: doc.get(name) for name in cls.model_fields})


@dataclass(frozen=True)
class ListShipments:
    views: FulfilmentReader

    def __call__(self, status: str | None = None, page: int = 1, size: int = 20) -> ShipmentPage:
        if status is not None:
            status = check_choice(status, "status", SHIPMENT_STATUSES)
        offset = check_paging(page, size)
        total, docs = self.views.shipments(status, offset, size)
        items = [pick(ShipmentItem, doc) for doc in docs]
        return ShipmentPage(total=total, page=page, size=size, items=items)


@dataclass(frozen=True)
class GetReturn:
    views: FulfilmentReader

    def __call__(self, return_id: str) -> ReturnDetail | None:
        doc = self.views.get_return(check_text(return_id, "return_id", 100))
        return None if doc is None else pick(ReturnDetail, doc)


@dataclass(frozen=True)
class GetBacklog:
    views: FulfilmentReader

    def __call__(self) -> Backlog:
        return Backlog(**self.views.backlog())


@dataclass(frozen=True)
class FulfilmentQueries:
    """The fulfilment reads the API and the ops page serve, over the order views."""

    shipments: ListShipments
    return_detail: GetReturn
    backlog: GetBacklog

    @classmethod
    def over(cls, views: FulfilmentReader) -> FulfilmentQueries:
        return cls(ListShipments(views), GetReturn(views), GetBacklog(views))
