"""The hot lookups' read contract: one document by kind and key."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from projections.core import ProjectionView
from projections.hot_lookups.projector import HotLookupsProjector


class HotLookups(ProjectionView):
    """Small documents read by key: `stock`, `product`, `order` and `coupon`."""

    name = "hot_lookups"

    def __init__(self) -> None:
        self.projector = HotLookupsProjector()

    @abstractmethod
    def lookup(self, kind: str, key: str) -> dict[str, Any] | None: ...

    def stock(self, sku: str) -> dict[str, Any] | None:
        return self.lookup("stock", sku)

    def product(self, sku: str) -> dict[str, Any] | None:
        return self.lookup("product", sku)

    def order_status(self, order_id: str) -> dict[str, Any] | None:
        return self.lookup("order", order_id)

    def coupon(self, code: str) -> dict[str, Any] | None:
        return self.lookup("coupon", code)
