"""A customer's messages (owner or admin): what was sent, or why not yet."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool

from api.deps import PrincipalDep
from api.errors import ApiError, responses
from api.notifications import NotificationsDep, as_item
from api.schemas.notifications import NotificationItem, NotificationPage

router = APIRouter(tags=["notifications"], responses=responses(401, 404, 422))


@router.get(
    "/customers/{customer_id:path}/notifications",
    summary="A customer's notifications, newest first",
)
async def customer_notifications(
    customer_id: Annotated[str, Path(min_length=1, max_length=200)],
    principal: PrincipalDep,
    records: NotificationsDep,
) -> NotificationPage:
    if not principal.is_admin and customer_id != principal.sub:
        # As for orders: another customer's messages do not exist for you.
        raise ApiError(404, "unknown_customer", f"customer {customer_id} has no notifications")
    total, rows = await run_in_threadpool(records.of_customer, customer_id)
    items = [NotificationItem.model_validate(as_item(row)) for row in rows]
    return NotificationPage(total=total, items=items)
