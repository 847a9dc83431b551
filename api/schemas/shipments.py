"""Query-string model of the shipments list (unknown parameters are refused)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

from api.schemas.params import Consistency, Page, Size
from domain.shipment import ShipmentStatus

# As `queries.orders.OrderStatusName`: a `Literal` built from the enum, `str` to mypy.
if TYPE_CHECKING:
    ShipmentStatusName: TypeAlias = str
else:
    ShipmentStatusName = Literal[tuple(status.value for status in ShipmentStatus)]


class ShipmentParams(Consistency):
    status: ShipmentStatusName | None = None
    page: Page = 1
    size: Size = 20
