"""Return writes: a customer asks to return delivered units; an admin approves or rejects
the request and records the goods' arrival.

The request is keyed by `Idempotency-Key` (the return's id derives from the order and the
key), so a retry finds the same return and records nothing. The admin's decisions are
idempotent by nature: a repeat answers 202 and records nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Response, status

from api.deps import BusDep, EventLogDep, PrincipalDep, require_admin
from api.errors import responses
from api.request_ids import accepts_idempotency_key
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.returns import RejectReturnBody, RequestReturnBody, ReturnAccepted, ReturnWritten
from api.writes import HasHead, position_of
from commands.results import Accepted
from domain.returns import ApproveReturn, ReceiveReturn, RejectReturn, RequestReturn

# 409 on every write: a business refusal, or a concurrent write to the same stream.
ERRORS = responses(400, 401, 403, 404, 409, 413, 422, 503)  # 400: a malformed Idempotency-Key
requests = APIRouter(prefix="/orders", tags=["returns"], responses=ERRORS)
decisions = APIRouter(
    prefix="/returns",
    tags=["returns"],
    dependencies=[Depends(require_admin), Depends(accepts_idempotency_key)],
    responses=ERRORS,
)

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        pattern=r"^[!-~]{1,100}$",
        description="Client-chosen key (1-100 visible ASCII characters), unique per return: "
        "a retry with the same key and body returns the same return; another body is 409.",
    ),
]
OrderIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The order's uuid.")]
ReturnIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The return's uuid.")]


@requests.post(
    "/{order_id}/returns",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400),
    summary="Ask to return delivered units (owner), for a refund or an exchange",
)
async def request_return(
    order_id: OrderIdPath,
    body: RequestReturnBody,
    key: IdempotencyKey,
    principal: PrincipalDep,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> ReturnAccepted:
    """409 `return_not_allowed` unless the order was delivered, within the return window,
    and the units are still returnable; another customer's order is 404."""
    command = RequestReturn(
        order_id=order_id.lower(),
        idempotency_key=key,
        kind=body.kind,
        lines=tuple((line.sku, line.quantity) for line in body.lines),
        reason=body.reason,
        owner=None if principal.is_admin else principal.sub,
    )
    accepted = await bus.handle(command)
    return_uuid = accepted.stream_id.removeprefix("return-")
    response.headers["Location"] = f"/returns/{return_uuid}"
    response.headers["ETag"] = f'"{accepted.version}"'
    return ReturnAccepted(return_id=return_uuid, position=position_of(accepted, log))


@decisions.post(
    "/{return_id}/approve", status_code=status.HTTP_202_ACCEPTED, summary="Approve a return"
)
async def approve_return(
    return_id: ReturnIdPath, bus: BusDep, log: EventLogDep, response: Response
) -> ReturnWritten:
    accepted = await bus.handle(ApproveReturn(return_id.lower()))
    return _written(accepted, log, response)


@decisions.post(
    "/{return_id}/reject",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Reject a return (its units may be asked for again)",
)
async def reject_return(
    return_id: ReturnIdPath,
    body: RejectReturnBody,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> ReturnWritten:
    accepted = await bus.handle(RejectReturn(return_id.lower(), body.reason))
    return _written(accepted, log, response)


@decisions.post(
    "/{return_id}/receive",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Record that an approved return's goods arrived (then refund or exchange)",
)
async def receive_return(
    return_id: ReturnIdPath, bus: BusDep, log: EventLogDep, response: Response
) -> ReturnWritten:
    accepted = await bus.handle(ReceiveReturn(return_id.lower()))
    return _written(accepted, log, response)


def _written(accepted: Accepted, log: HasHead, response: Response) -> ReturnWritten:
    response.headers["ETag"] = f'"{accepted.version}"'
    return_uuid = accepted.stream_id.removeprefix("return-")
    return ReturnWritten(return_id=return_uuid, position=position_of(accepted, log))
