"""Order writes: a customer places an order; its owner or an admin cancels it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Path, Response, status

from api.deps import BusDep, CustomerDep, EventLogDep, PrincipalDep
from api.errors import responses
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.orders import CancellationAccepted, OrderAccepted, PlaceOrderBody
from api.writes import position_of
from domain.order import PlaceOrder, RequestCancellation, RequestedLine

# 409 on every write: a business refusal, or a concurrent write to the same stream.
router = APIRouter(
    prefix="/orders", tags=["orders"], responses=responses(401, 403, 409, 413, 422, 503)
)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[!-~]{1,100}$",
        description="Client-chosen key (1-100 visible ASCII characters), unique per purchase: "
        "a retry with the same key and body returns the same order.",
    ),
]
OrderIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The order's uuid.")]


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 404, 409),
    summary="Place an order (the checkout then runs in the background)",
)
async def place_order(
    body: PlaceOrderBody,
    key: IdempotencyKey,
    customer: CustomerDep,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> OrderAccepted:
    command = PlaceOrder(
        customer_id=customer.sub,
        idempotency_key=key,
        lines=[RequestedLine(line.sku, line.quantity) for line in body.lines],
        coupon_code=body.coupon_code,
        payment_token=body.payment.token,
        shipping_address=body.shipping_address,
        contact=None if body.contact is None else body.contact.model_dump(),
    )
    accepted = await bus.handle(command)  # a reused key for another order raises 409
    order_uuid = accepted.stream_id.removeprefix("order-")
    response.headers["Location"] = f"/orders/{order_uuid}"
    response.headers["ETag"] = f'"{accepted.version}"'
    return OrderAccepted(order_id=order_uuid, position=position_of(accepted, log))


@router.post(
    "/{order_id}/cancel",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(404, 409),
    summary="Ask to cancel an order (owner or admin); the checkout undoes what was done",
)
async def cancel_order(
    order_id: OrderIdPath,
    principal: PrincipalDep,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> CancellationAccepted:
    order_uuid = order_id.lower()
    owner = None if principal.is_admin else principal.sub  # a customer cancels only their own
    command = RequestCancellation(order_uuid, f"{principal.role}:{principal.sub}", owner)
    accepted = await bus.handle(command)
    response.headers["ETag"] = f'"{accepted.version}"'
    return CancellationAccepted(order_id=order_uuid, position=position_of(accepted, log))
