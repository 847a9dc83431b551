"""Order reads: detail, timeline and a customer's history. Customers see only their own."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.consistency import await_position
from api.deps import ContainerDep, PrincipalDep
from api.errors import ApiError, responses
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.order_views import OrderDetail, OrderPage, Timeline, TimelineEntry
from api.schemas.params import Consistency, HistoryParams

router = APIRouter(tags=["orders"], responses=responses(401, 404, 422, 503))
OrderIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The order's uuid.")]
VIEW = "order_views"


def _not_found(order_id: str) -> ApiError:
    return ApiError(404, "unknown_order", f"order {order_id} does not exist")


def _visible_order(container: Any, principal: Any, order_id: str) -> Any:
    summary = container.read_models.queries.get_order_summary(order_id.lower())
    if summary is None or not (principal.is_admin or summary.customer_id == principal.sub):
        raise _not_found(order_id)  # another customer's order does not exist for you
    return summary


@router.get("/orders/{order_id}", summary="An order's detail")
def order(
    order_id: OrderIdPath,
    params: Annotated[Consistency, Query()],
    principal: PrincipalDep,
    container: ContainerDep,
) -> OrderDetail:
    await_position(container, VIEW, params.min_position)
    summary = _visible_order(container, principal, order_id)
    return OrderDetail.model_validate(summary, from_attributes=True)


@router.get("/orders/{order_id}/timeline", summary="An order's facts in log order")
def timeline(
    order_id: OrderIdPath,
    params: Annotated[Consistency, Query()],
    principal: PrincipalDep,
    container: ContainerDep,
) -> Timeline:
    await_position(container, VIEW, params.min_position)
    summary = _visible_order(container, principal, order_id)
    entries = container.read_models.queries.get_order_timeline(summary.order_id) or []
    events = [TimelineEntry.model_validate(e, from_attributes=True) for e in entries]
    return Timeline(order_id=summary.order_id, events=events)


# `:path` so a customer id holding `/` (sent as `%2F` or `/`) still names its own history.
@router.get("/customers/{customer_id:path}/orders", summary="A customer's orders, newest first")
def history(
    customer_id: Annotated[str, Path(min_length=1, max_length=200)],
    params: Annotated[HistoryParams, Query()],
    principal: PrincipalDep,
    container: ContainerDep,
) -> OrderPage:
    if not principal.is_admin and customer_id != principal.sub:
        raise ApiError(404, "unknown_customer", f"customer {customer_id} has no orders for you")
    await_position(container, VIEW, params.min_position)
    page = container.read_models.queries.list_customer_orders(
        customer_id, params.status, params.page, params.size
    )
    return OrderPage.model_validate(page, from_attributes=True)
