"""The order views' read contract, whatever store keeps them."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from projections.core import ProjectionView
from projections.order_views.projector import OrderViewsProjector


class OrderViews(ProjectionView):
    """One `order` row per order uuid (detail and history) and one timeline row per event
    about an order. Reads always go to the live generation."""

    name = "order_views"

    def __init__(self) -> None:
        self.projector = OrderViewsProjector()

    @abstractmethod
    def get_order(self, order_id: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def customer_orders(
        self, customer_id: str, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[dict[str, Any]]]:
        """(how many match, one page of them newest first)."""

    @abstractmethod
    def timeline(self, order_id: str) -> list[dict[str, Any]]:
        """The order's events across aggregates, in log order."""
