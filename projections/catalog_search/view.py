"""The catalog search contract: a validated request in, a page with facets out."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, field
from typing import Any

from projections.catalog_search.projector import CatalogSearchProjector
from projections.core import ProjectionView

SORTS = ("relevance", "price_asc", "price_desc", "newest")
FACETS = ("category", "brand")


@dataclass(frozen=True)
class SearchRequest:
    """What to find. `relevance` without `q` falls back to `newest`; ties go by sku."""

    q: str = ""
    category: str | None = None
    brand: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20


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
