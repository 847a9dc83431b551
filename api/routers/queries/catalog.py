"""Catalog reads: search with facets, and one product's detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import CatalogQueriesDep, FreshnessDep, LookupQueriesDep, get_principal
from api.errors import ApiError, responses
from api.preconditions import set_etag
from api.schemas.fields import SKU_PATTERN
from api.schemas.params import Consistency, SearchParams
from queries.catalog import CatalogPage
from queries.lookups import ProductDetail

router = APIRouter(
    prefix="/catalog",
    tags=["catalog"],
    dependencies=[Depends(get_principal)],
    responses=responses(401, 422, 503),
)


@router.get("/search", summary="Full-text search with filters, facets, sorting and paging")
def search(
    params: Annotated[SearchParams, Query()], catalog: CatalogQueriesDep, fresh: FreshnessDep
) -> CatalogPage:
    fresh.await_position("catalog_search", params.min_position)
    return catalog.search(**params.model_dump(exclude={"min_position"}))


@router.get("/products/{sku}", responses=responses(404), summary="One product's detail")
def product(
    sku: Annotated[str, Path(pattern=SKU_PATTERN)],
    params: Annotated[Consistency, Query()],
    lookups: LookupQueriesDep,
    fresh: FreshnessDep,
    response: Response,
) -> ProductDetail:
    """`ETag: "<version>"` is the product stream's version, for `If-Match` on its writes."""
    fresh.await_position("hot_lookups", params.min_position)
    detail = lookups.product(sku)
    if detail is None:
        raise ApiError(404, "unknown_product", f"product {sku} is not in the catalog")
    set_etag(response, detail.version)
    return detail
