"""Webhook subscriptions (admin): create, list, delete.

A repeat of a creation under the same `Idempotency-Key` and body answers the same
`webhook_id` and creates nothing; the same key with another body is 409. The secret is
written once and never read back by any route.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from api.deps import AdminDep, require_admin
from api.errors import ApiError, responses
from api.request_ids import KeyDep, request_id
from api.schemas.webhooks import CreateWebhookBody, WebhookCreated, WebhookItem, WebhookList
from integration.webhooks.deliveries import Deliveries
from integration.webhooks.subscriptions import KeyReused, Subscriptions

router = APIRouter(
    prefix="/webhooks",
    tags=["webhooks"],
    dependencies=[Depends(require_admin)],
    responses=responses(401, 403, 422, 503),
)
WebhookIdPath = Annotated[str, Path(max_length=64, description="The subscription's id.")]


def _stores(request: Request) -> tuple[Subscriptions, Deliveries]:
    """Over the database beside the events (where the dead letters are), made once."""
    stores: tuple[Subscriptions, Deliveries] | None = getattr(request.app.state, "webhooks", None)
    if stores is None:
        engine = request.app.state.read_models.dead_letters.engine
        stores = Subscriptions(engine), Deliveries(engine)
        if request.app.state.settings.create_tables:  # `shop migrate` does it otherwise
            stores[0].create_tables()
        request.app.state.webhooks = stores
    return stores


async def get_subscriptions(request: Request) -> Subscriptions:
    return _stores(request)[0]


async def get_deliveries(request: Request) -> Deliveries:
    return _stores(request)[1]


SubscriptionsDep = Annotated[Subscriptions, Depends(get_subscriptions)]
DeliveriesDep = Annotated[Deliveries, Depends(get_deliveries)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400, 409),
    summary="Subscribe a URL to integration event types",
)
def create_webhook(
    body: CreateWebhookBody,
    subscriptions: SubscriptionsDep,
    admin: AdminDep,
    key: KeyDep,
    response: Response,
) -> WebhookCreated:
    """Events published after this are POSTed to `url`, signed with `secret`."""
    webhook_id = request_id(admin.sub, "POST /webhooks", key) or str(uuid.uuid4())
    try:
        subscriptions.create(webhook_id, body.url, list(body.events), body.secret)
    except KeyReused:
        raise ApiError(
            409, "idempotency_key_reused", "this Idempotency-Key created another webhook"
        ) from None
    response.headers["Location"] = f"/webhooks/{webhook_id}"
    return WebhookCreated(webhook_id=webhook_id)


@router.get("", summary="Every subscription (never its secret)")
def list_webhooks(subscriptions: SubscriptionsDep) -> WebhookList:
    items = [WebhookItem(**s.as_json()) for s in subscriptions.listed()]
    return WebhookList(total=len(items), items=items)


@router.delete(
    "/{webhook_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=responses(404),
    summary="Unsubscribe: nothing more is sent, and the delivery log goes with it",
)
def delete_webhook(webhook_id: WebhookIdPath, subscriptions: SubscriptionsDep) -> None:
    if not subscriptions.delete(webhook_id):
        raise ApiError(404, "unknown_webhook", f"no webhook {webhook_id}")
