"""Catalog search: validated request in, a page of hits with facets out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol, get_args

from pydantic import BaseModel, Field

from queries.errors import InvalidQuery, check_choice, check_int, check_paging, check_text

MAX_PRICE = 10**12
Sort = Literal["relevance", "price_asc", "price_desc", "newest"]
SORTS: tuple[str, ...] = get_args(Sort)


@dataclass(frozen=True)
class SearchRequest:
    """What to find, checked. `relevance` without `q` falls back to `newest`; ties go by sku."""

    q: str = ""
    category: str | None = None
    brand: str | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20


class FoundProducts(Protocol):
    """`total` matches, one page of product documents, and counts per facet value."""

    @property
    def total(self) -> int: ...

    @property
    def items(self) -> list[dict[str, Any]]: ...

    @property
    def facets(self) -> dict[str, dict[str, int]]: ...


class CatalogSearchReader(Protocol):
    def search(self, request: SearchRequest) -> FoundProducts: ...


class ProductHit(BaseModel):
    sku: str
    name: str
    description: str
    category: str
    brand: str
    price: int
    currency: str
    attributes: dict[str, str]
    available: int
    in_stock: bool


class Facets(BaseModel):
    category: dict[str, int] = Field(default_factory=dict, description="Matches per category.")
    brand: dict[str, int] = Field(default_factory=dict, description="Matches per brand.")


class CatalogPage(BaseModel):
    total: int
    page: int
    size: int
    items: list[ProductHit]
    facets: Facets


def hit(doc: dict[str, Any]) -> ProductHit:
    return ProductHit(**{name: doc.get(name) for name in ProductHit.model_fields})


@dataclass(frozen=True)
class SearchCatalog:
    view: CatalogSearchReader

    def __call__(
        self,
        q: str = "",
        category: str | None = None,
        brand: str | None = None,
        min_price: int | None = None,
        max_price: int | None = None,
        in_stock: bool | None = None,
        sort: str = "relevance",
        page: int = 1,
        size: int = 20,
    ) -> CatalogPage:
        request = self.request(q, category, brand, min_price, max_price, in_stock, sort, page, size)
        found = self.view.search(request)
        items = [hit(doc) for doc in found.items]
        facets = Facets(**found.facets)
        return CatalogPage(total=found.total, page=page, size=size, items=items, facets=facets)

    @staticmethod
    def request(
        q: str,
        category: str | None,
        brand: str | None,
        min_price: int | None,
        max_price: int | None,
        in_stock: bool | None,
        sort: str,
        page: int,
        size: int,
    ) -> SearchRequest:
        check_text(q, "q")
        for name, value in (("category", category), ("brand", brand)):
            if value is not None:
                check_text(value, name, 100)
        for name, price in (("min_price", min_price), ("max_price", max_price)):
            if price is not None:
                check_int(price, name, 0, MAX_PRICE)
        if min_price is not None and max_price is not None and min_price > max_price:
            raise InvalidQuery("min_price", "must not be above max_price")
        if in_stock is not None and not isinstance(in_stock, bool):
            raise InvalidQuery("in_stock", "must be true or false")
        check_choice(sort, "sort", SORTS)
        offset = check_paging(page, size)
        return SearchRequest(q, category, brand, min_price, max_price, in_stock, sort, offset, size)


@dataclass(frozen=True)
class CatalogQueries:
    """The catalog search the API serves, over one catalog search store."""

    search: SearchCatalog

    @classmethod
    def over(cls, view: CatalogSearchReader) -> CatalogQueries:
        return cls(SearchCatalog(view))
