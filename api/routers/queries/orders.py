"""Order reads: detail, timeline and a customer's history. Customers see only their own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.auth import Principal
from api.deps import FreshnessDep, OrderQueriesDep, PrincipalDep
from api.errors import ApiError, responses
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.params import Consistency, HistoryParams
from queries.orders import OrderDetail, OrderPage, OrderQueries, Timeline

router = APIRouter(tags=["orders"], responses=responses(401, 404, 422, 503))
OrderIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The order's uuid.")]
VIEW = "order_views"


def _not_found(order_id: str) -> ApiError:
    return ApiError(404, "unknown_order", f"order {order_id} does not exist")


def _visible_order(orders: OrderQueries, principal: Principal, order_id: str) -> OrderDetail:
    detail = orders.summary(order_id.lower())
    if detail is None or not (principal.is_admin or detail.customer_id == principal.sub):
        raise _not_found(order_id)  # another customer's order does not exist for you
    return detail


@router.get("/orders/{order_id}", summary="An order's detail")
def order(
    order_id: OrderIdPath,
    params: Annotated[Consistency, Query()],
    principal: PrincipalDep,
    orders: OrderQueriesDep,
    fresh: FreshnessDep,
) -> OrderDetail:
    fresh.await_position(VIEW, params.min_position)
    return _visible_order(orders, principal, order_id)


@router.get("/orders/{order_id}/timeline", summary="An order's facts in log order")
def timeline(
    order_id: OrderIdPath,
    params: Annotated[Consistency, Query()],
    principal: PrincipalDep,
    orders: OrderQueriesDep,
    fresh: FreshnessDep,
) -> Timeline:
    fresh.await_position(VIEW, params.min_position)
    detail = _visible_order(orders, principal, order_id)
    events = orders.timeline(detail.order_id) or []
    return Timeline(order_id=detail.order_id, events=events)


# `:path` so a customer id holding `/` (sent as `%2F` or `/`) still names its own history.
@router.get("/customers/{customer_id:path}/orders", summary="A customer's orders, newest first")
def history(
    customer_id: Annotated[str, Path(min_length=1, max_length=200)],
    params: Annotated[HistoryParams, Query()],
    principal: PrincipalDep,
    orders: OrderQueriesDep,
    fresh: FreshnessDep,
) -> OrderPage:
    if not principal.is_admin and customer_id != principal.sub:
        raise ApiError(404, "unknown_customer", f"customer {customer_id} has no orders for you")
    fresh.await_position(VIEW, params.min_position)
    return orders.customer_orders(customer_id, params.status, params.page, params.size)
