"""The catalog search contract: a validated request in, a page with facets out."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any, Protocol

from projections.catalog_search.projector import CatalogSearchProjector
from projections.core import ProjectionView

FACETS = ("category", "brand")


class SearchRequest(Protocol):
    """What to find, already checked by the query that asks (the view reads it by shape).

    `relevance` without `q` falls back to `newest`; ties go by sku.
    """

    @property
    def q(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def brand(self) -> str | None: ...
    @property
    def min_price(self) -> int | None: ...
    @property
    def max_price(self) -> int | None: ...
    @property
    def in_stock(self) -> bool | None: ...
    @property
    def sort(self) -> str: ...
    @property
    def offset(self) -> int: ...
    @property
    def limit(self) -> int: ...


@dataclass(frozen=True)
class SearchPage:
    """`total` matches, one page of product documents, and counts per category and brand
    over all matches (every filter applied)."""

    total: int
    items: list[dict[str, Any]]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class CatalogSearch(ProjectionView):
    """Listed products only: discontinued and never-registered skus are not found."""

    name = "catalog_search"

    def __init__(self) -> None:
        self.projector = CatalogSearchProjector()

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchPage: ...
