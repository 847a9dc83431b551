"""Coupon writes (admin): define and disable discount codes.

A repeat is answered as the first time, records nothing, and says `changed: false`; its
`position` is the log head. Definition is keyed by the code and disabling is idempotent
by nature, so `Idempotency-Key` is accepted there without being needed.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import BusDep, EventLogDep, require_admin
from api.errors import responses
from api.preconditions import ExpectedVersion
from api.request_ids import accepts_idempotency_key
from api.schemas.common import Written
from api.schemas.coupons import DefineCouponBody
from api.schemas.fields import CODE_PATTERN
from api.writes import written
from domain.coupon import DefineCoupon, DisableCoupon

router = APIRouter(
    prefix="/coupons",
    tags=["coupons"],
    dependencies=[Depends(require_admin), Depends(accepts_idempotency_key)],
    responses=responses(401, 403, 409, 413, 422, 503),  # 409: also a lost write race
)

CodePath = Annotated[str, Path(pattern=CODE_PATTERN, description="The coupon code.")]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400, 409),
    summary="Define a coupon",
)
async def define_coupon(
    body: DefineCouponBody, bus: BusDep, log: EventLogDep, response: Response
) -> Written:
    """The same rules again answer 201 as the first time (version 0, `changed: false`,
    `position` the log head); other rules for the code: 409."""
    fields = body.model_dump()
    fields["currency"] = fields.get("currency") or ""
    accepted = await bus.handle(DefineCoupon(**fields))
    return written(accepted, log, response, location=f"/coupons/{body.code}")


@router.post(
    "/{code}/disable",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 404, 412),
    summary="Disable a coupon (no new redemptions)",
)
async def disable_coupon(
    code: CodePath,
    expected: ExpectedVersion,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> Written:
    """A repeat answers 202 with the version disabling gave, whatever `If-Match` says."""
    command = DisableCoupon(code, expected_version=expected)
    return written(await bus.handle(command), log, response)
