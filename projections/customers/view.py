"""The customers' read contract: a page of accounts, one account by id."""

from __future__ import annotations

from abc import abstractmethod
from typing import Any

from projections.core import ProjectionView
from projections.customers.projector import CustomersProjector


class Customers(ProjectionView):
    """Account rows (id, status, dates), newest registration first."""

    name = "customers"

    def __init__(self) -> None:
        self.projector = CustomersProjector()

    @abstractmethod
    def customer(self, customer_id: str) -> dict[str, Any] | None: ...

    @abstractmethod
    def page(self, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]:
        """(total, rows offset..offset+limit), newest registration first."""
