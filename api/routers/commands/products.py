"""Catalog writes (admin): register, change details or price, discontinue.

A repeat is answered as the first time, records nothing, and says `changed: false`; its
`position` is the log head, which is at or after the first write. Registration is keyed
by the sku (the same body again is a repeat, another is 409) and discontinuing is
idempotent by nature, so `Idempotency-Key` is accepted there without being needed.
`If-Match: "<version>"` makes a change conditional on the stream's version (412).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import BusDep, EventLogDep, require_admin
from api.errors import responses
from api.preconditions import ExpectedVersion
from api.request_ids import accepts_idempotency_key
from api.schemas.common import Written
from api.schemas.fields import SKU_PATTERN
from api.schemas.products import ChangeDetailsBody, ChangePriceBody, RegisterProductBody
from api.writes import written
from domain.product import ChangePrice, ChangeProductDetails, DiscontinueProduct, RegisterProduct

router = APIRouter(
    prefix="/products",
    tags=["products"],
    dependencies=[Depends(require_admin)],
    responses=responses(401, 403, 409, 413, 422, 503),  # 409: also a lost write race
)

SkuPath = Annotated[str, Path(pattern=SKU_PATTERN, description="The product's sku.")]
KeyAccepted = [Depends(accepts_idempotency_key)]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400, 409),
    summary="Register a product",
    dependencies=KeyAccepted,
)
async def register_product(
    body: RegisterProductBody, bus: BusDep, log: EventLogDep, response: Response
) -> Written:
    """The same body again answers 201 as the first time (version 0, `changed: false`,
    `position` the log head), even after later changes; another body for the sku: 409."""
    accepted = await bus.handle(RegisterProduct(**body.model_dump()))
    return written(accepted, log, response, location=f"/catalog/products/{body.sku}")


@router.patch(
    "/{sku}",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 404, 409, 412),
    summary="Change some of a product's details",
)
async def change_details(
    sku: SkuPath,
    body: ChangeDetailsBody,
    expected: ExpectedVersion,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> Written:
    """A change that changes nothing records nothing (`changed: false`)."""
    command = ChangeProductDetails(sku=sku, **body.model_dump(), expected_version=expected)
    return written(await bus.handle(command), log, response)


@router.put(
    "/{sku}/price",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 404, 409, 412),
    summary="Change a product's price",
)
async def change_price(
    sku: SkuPath,
    body: ChangePriceBody,
    expected: ExpectedVersion,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> Written:
    command = ChangePrice(sku, body.price, expected_version=expected)
    return written(await bus.handle(command), log, response)


@router.post(
    "/{sku}/discontinue",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 404, 412),
    dependencies=KeyAccepted,
    summary="Discontinue a product (it can no longer be ordered)",
)
async def discontinue(
    sku: SkuPath,
    expected: ExpectedVersion,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> Written:
    """A repeat answers 202 with the version discontinuing gave, whatever `If-Match` says
    (the stream moved on because of the first request)."""
    command = DiscontinueProduct(sku, expected_version=expected)
    return written(await bus.handle(command), log, response)
