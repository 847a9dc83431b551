"""Coupon writes (admin): define and disable discount codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import BusDep, ContainerDep, require_admin
from api.errors import responses
from api.schemas.common import Written
from api.schemas.coupons import DefineCouponBody
from api.schemas.fields import CODE_PATTERN
from api.writes import written
from commands.coupon import DefineCoupon, DisableCoupon

router = APIRouter(
    prefix="/coupons",
    tags=["coupons"],
    dependencies=[Depends(require_admin)],
    responses=responses(401, 403, 409, 413, 422),  # 409: also a lost write race
)

CodePath = Annotated[str, Path(pattern=CODE_PATTERN, description="The coupon code.")]


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses=responses(400, 409),
    summary="Define a coupon",
)  # fmt: skip
async def define_coupon(
    body: DefineCouponBody, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    fields = body.model_dump()
    fields["currency"] = fields.get("currency") or ""
    accepted = await bus.handle(DefineCoupon(**fields))
    return written(accepted, container, response, location=f"/coupons/{body.code}")


@router.post(
    "/{code}/disable", status_code=status.HTTP_202_ACCEPTED, responses=responses(404),
    summary="Disable a coupon (no new redemptions)",
)  # fmt: skip
async def disable_coupon(
    code: CodePath, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    return written(await bus.handle(DisableCoupon(code)), container, response)
