"""Catalog search: validated request in, a page of hits with facets out."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from projections.catalog_search.view import SORTS, CatalogSearch, SearchRequest
from queries.errors import InvalidQuery, check_choice, check_int, check_paging, check_text

MAX_PRICE = 10**12


@dataclass(frozen=True)
class ProductHit:
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


@dataclass(frozen=True)
class CatalogPage:
    total: int
    page: int
    size: int
    items: list[ProductHit]
    facets: dict[str, dict[str, int]]


def hit(doc: dict[str, Any]) -> ProductHit:
    return ProductHit(**{f.name: doc.get(f.name) for f in fields(ProductHit)})


@dataclass(frozen=True)
class SearchCatalog:
    view: CatalogSearch

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
        result = self.view.search(request)
        return CatalogPage(result.total, page, size, [hit(d) for d in result.items], result.facets)

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
