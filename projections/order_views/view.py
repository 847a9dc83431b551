"""The order views' read contract, whatever store keeps them."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from projections.core import ProjectionView
from projections.order_views.projector import OrderViewsProjector


class OrderViews(ProjectionView):
    """One `order` row per order uuid (detail and history), one timeline row per event
    about an order, one row per shipment and per return. Reads always go to the live
    generation."""

    name = "order_views"

    def __init__(self) -> None:
        self.projector = OrderViewsProjector()

    @abstractmethod
    def get_order(self, order_id: str) -> dict[str, Any] | None:
        """The order's document with `fulfilment` (its own shipment's, or None) and
        `returns` (oldest first)."""

    @abstractmethod
    def customer_orders(
        self, customer_id: str, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many match, one page of them newest first), each as `get_order` gives it."""

    @abstractmethod
    def timeline(self, order_id: str) -> list[dict[str, Any]]:
        """The order's events across aggregates, in log order."""

    @abstractmethod
    def shipments(
        self, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many match, one page of shipment documents, the most recently opened first)."""

    @abstractmethod
    def get_return(self, return_id: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def backlog(self) -> dict[str, int]:
        """`{shipments_on_hold, returns_awaiting_approval}`: what waits for an admin."""
