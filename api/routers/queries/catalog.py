"""Catalog reads: search with facets, and one product's detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from api.consistency import await_position
from api.deps import ContainerDep, get_principal
from api.errors import ApiError, responses
from api.preconditions import set_etag
from api.schemas.catalog import CatalogPage, ProductDetail
from api.schemas.fields import SKU_PATTERN
from api.schemas.params import Consistency, SearchParams

router = APIRouter(
    prefix="/catalog",
    tags=["catalog"],
    dependencies=[Depends(get_principal)],
    responses=responses(401, 422, 503),
)


@router.get("/search", summary="Full-text search with filters, facets, sorting and paging")
def search(params: Annotated[SearchParams, Query()], container: ContainerDep) -> CatalogPage:
    await_position(container, "catalog_search", params.min_position)
    page = container.read_models.queries.search_catalog(
        **params.model_dump(exclude={"min_position"})
    )
    return CatalogPage.model_validate(page, from_attributes=True)


@router.get("/products/{sku}", responses=responses(404), summary="One product's detail")
def product(
    sku: Annotated[str, Path(pattern=SKU_PATTERN)],
    params: Annotated[Consistency, Query()],
    container: ContainerDep,
    response: Response,
) -> ProductDetail:
    """`ETag: "<version>"` is the product stream's version, for `If-Match` on its writes."""
    await_position(container, "hot_lookups", params.min_position)
    detail = container.read_models.queries.get_product(sku)
    if detail is None:
        raise ApiError(404, "unknown_product", f"product {sku} is not in the catalog")
    set_etag(response, detail.version)
    return ProductDetail.model_validate(detail, from_attributes=True)
