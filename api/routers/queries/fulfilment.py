"""Fulfilment reads: the shipments list (admin) and one return (its owner or an admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from api.deps import FreshnessDep, PrincipalDep, require_admin
from api.errors import ApiError, responses
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.params import Consistency
from api.schemas.shipments import ShipmentParams
from queries.fulfilment import FulfilmentQueries, ReturnDetail, ShipmentPage

router = APIRouter(responses=responses(401, 422, 503))
ReturnIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The return's uuid.")]
VIEW = "order_views"  # shipments and returns are tables of the order views


async def get_fulfilment_queries(request: Request) -> FulfilmentQueries:
    queries: FulfilmentQueries = request.app.state.queries.fulfilment
    return queries


FulfilmentQueriesDep = Annotated[FulfilmentQueries, Depends(get_fulfilment_queries)]


@router.get(
    "/shipments",
    tags=["shipments"],
    dependencies=[Depends(require_admin)],
    responses=responses(403),
    summary="Shipments, the most recently opened first (admin)",
)
def shipments(
    params: Annotated[ShipmentParams, Query()],
    fulfilment: FulfilmentQueriesDep,
    fresh: FreshnessDep,
) -> ShipmentPage:
    fresh.await_position(VIEW, params.min_position)
    return fulfilment.shipments(params.status, params.page, params.size)


@router.get(
    "/returns/{return_id}",
    tags=["returns"],
    responses=responses(404),
    summary="A return's lines, status and refund amount (its owner or an admin)",
)
def return_detail(
    return_id: ReturnIdPath,
    params: Annotated[Consistency, Query()],
    principal: PrincipalDep,
    fulfilment: FulfilmentQueriesDep,
    fresh: FreshnessDep,
) -> ReturnDetail:
    fresh.await_position(VIEW, params.min_position)
    detail = fulfilment.return_detail(return_id.lower())
    if detail is None or not (principal.is_admin or detail.customer_id == principal.sub):
        # another customer's return does not exist for you
        raise ApiError(404, "unknown_return", f"return {return_id} does not exist")
    return detail
