"""Key lookups: stock of a sku, a coupon, and the projections' own status.

Stock and coupon answers carry their stream's version as `ETag: "<version>"`, to send
back as `If-Match` on a write. Coupon lookups are rate limited per caller: a code is a
secret worth guessing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from api.deps import (
    FreshnessDep,
    LookupQueriesDep,
    ProjectionStatusDep,
    get_principal,
    require_admin,
)
from api.errors import ApiError, responses
from api.preconditions import set_etag
from api.ratelimit import PerCaller
from api.schemas.fields import CODE_PATTERN, SKU_PATTERN
from api.schemas.params import Consistency
from queries.lookups import CouponDetail, StockLevel
from queries.projections import ProjectionStatus

router = APIRouter(responses=responses(401, 422, 503))
ConsistencyQuery = Annotated[Consistency, Query()]
limit_coupon_lookups = PerCaller("coupon lookup", "coupon_lookup_rate")


@router.get(
    "/inventory/{sku}",
    tags=["inventory"],
    dependencies=[Depends(get_principal)],
    responses=responses(404, 503),
    summary="Stock of one sku: on hand, reserved, available",
)
def stock(
    sku: Annotated[str, Path(pattern=SKU_PATTERN)],
    params: ConsistencyQuery,
    lookups: LookupQueriesDep,
    fresh: FreshnessDep,
    response: Response,
) -> StockLevel:
    fresh.await_position("hot_lookups", params.min_position)
    level = lookups.stock(sku)
    if level is None:
        raise ApiError(404, "unknown_inventory_item", f"no stock is recorded for {sku}")
    set_etag(response, level.version)
    return level


@router.get(
    "/coupons/{code}",
    tags=["coupons"],
    dependencies=[Depends(get_principal), Depends(limit_coupon_lookups)],
    responses=responses(404, 429, 503),
    summary="A coupon's rules and how often it was redeemed (SHOP_COUPON_LOOKUP_RATE per caller)",
)
def coupon(
    code: Annotated[str, Path(pattern=CODE_PATTERN)],
    params: ConsistencyQuery,
    lookups: LookupQueriesDep,
    fresh: FreshnessDep,
    response: Response,
) -> CouponDetail:
    fresh.await_position("hot_lookups", params.min_position)
    detail = lookups.coupon(code)
    if detail is None:
        raise ApiError(404, "unknown_coupon", f"coupon {code} does not exist")
    set_etag(response, detail.version)
    return detail


@router.get(
    "/projections",
    tags=["projections"],
    dependencies=[Depends(require_admin)],
    responses=responses(403),
    summary="Position and lag of every read model (admin)",
)
def projections(list_projections: ProjectionStatusDep) -> list[ProjectionStatus]:
    return list_projections()
