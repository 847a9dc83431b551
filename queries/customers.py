"""Customer accounts as the read model knows them: id, status and dates, nothing personal."""

from __future__ import annotations

from typing import Any, Protocol

from queries.errors import check_paging


class CustomersReader(Protocol):
    def page(self, offset: int, limit: int) -> tuple[int, list[dict[str, Any]]]: ...

    def customer(self, customer_id: str) -> dict[str, Any] | None: ...


class CustomerQueries:
    """Pages of accounts for the admin list; the API adds each account's email and name
    from the Customer aggregate (the only place they rest, sealed)."""

    def __init__(self, reader: CustomersReader) -> None:
        self.reader = reader

    @classmethod
    def over(cls, reader: CustomersReader) -> CustomerQueries:
        return cls(reader)

    def page(self, page: int, size: int) -> tuple[int, list[dict[str, Any]]]:
        """(total, rows of page `page`), newest registration first."""
        return self.reader.page(check_paging(page, size), size)
