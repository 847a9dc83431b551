"""A subscription's delivery log and the admin's manual retry."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, status

from api.deps import require_admin
from api.errors import ApiError, responses
from api.routers.commands.webhooks import DeliveriesDep, SubscriptionsDep, WebhookIdPath
from api.schemas.webhooks import DeliveryItem, DeliveryList, DeliveryStatus, RetryAccepted

router = APIRouter(
    prefix="/webhooks/{webhook_id}/deliveries",
    tags=["webhooks"],
    dependencies=[Depends(require_admin)],
    responses=responses(401, 403, 404, 422, 503),
)
DeliveryIdPath = Annotated[int, Path(ge=1, le=2**62, description="The delivery's id.")]


@router.get("", summary="The subscription's deliveries, newest first")
def list_deliveries(
    webhook_id: WebhookIdPath,
    subscriptions: SubscriptionsDep,
    deliveries: DeliveriesDep,
    status: Annotated[DeliveryStatus | None, Query()] = None,
) -> DeliveryList:
    _known(subscriptions, webhook_id)
    total, rows = deliveries.listed(webhook_id, status)
    return DeliveryList(total=total, items=[_item(row) for row in rows])


@router.post(
    "/{delivery_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(409),
    summary="Send a FAILED or DEAD delivery again now, with a fresh round of attempts",
)
def retry_delivery(
    webhook_id: WebhookIdPath, delivery_id: DeliveryIdPath, deliveries: DeliveriesDep
) -> RetryAccepted:
    was = deliveries.retry(webhook_id, delivery_id, time.time())
    if was is None:
        raise ApiError(404, "unknown_delivery", f"no delivery {delivery_id} of this webhook")
    if was not in ("FAILED", "DEAD"):
        raise ApiError(409, "delivery_not_retryable", f"the delivery is {was}")
    return RetryAccepted(delivery_id=delivery_id)


def _known(subscriptions: SubscriptionsDep, webhook_id: str) -> None:
    if not subscriptions.exists(webhook_id):
        raise ApiError(404, "unknown_webhook", f"no webhook {webhook_id}")


def _item(row: dict[str, Any]) -> DeliveryItem:
    at = row["next_attempt_at"]
    when = None if at is None else datetime.fromtimestamp(at, UTC)
    return DeliveryItem(**(row | {"next_attempt_at": when}))
