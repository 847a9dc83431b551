"""Stock writes (admin): goods received, counted corrections.

Neither is idempotent by nature (each receipt adds), so each takes an `Idempotency-Key`:
a repeat with the same key and body answers as the first time (the version that write
gave the stream, `changed: false`, `position` the log head) and records nothing; the
same key with another body is 409 `idempotency_key_reused`. Without a key every request
counts. `If-Match: "<version>"` makes the write conditional on the stream's version.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import AdminDep, BusDep, EventLogDep, require_admin
from api.errors import responses
from api.preconditions import ExpectedVersion
from api.request_ids import KeyDep, request_id
from api.schemas.common import Written
from api.schemas.fields import SKU_PATTERN
from api.schemas.inventory import AdjustmentBody, ReceiptBody
from api.writes import written
from domain.inventory import AdjustStock, ReceiveStock

router = APIRouter(
    prefix="/inventory",
    tags=["inventory"],
    dependencies=[Depends(require_admin)],
    responses=responses(400, 401, 403, 404, 409, 412, 413, 422, 503),  # 409: also a lost race
)

SkuPath = Annotated[str, Path(pattern=SKU_PATTERN, description="The product's sku.")]
RECEIPTS, ADJUSTMENTS = "/{sku}/receipts", "/{sku}/adjustments"


@router.post(RECEIPTS, status_code=status.HTTP_202_ACCEPTED, summary="Record stock received")
async def receive(
    sku: SkuPath,
    body: ReceiptBody,
    admin: AdminDep,
    key: KeyDep,
    expected: ExpectedVersion,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> Written:
    command = ReceiveStock(
        sku,
        body.quantity,
        request_id=request_id(admin.sub, f"POST /inventory{RECEIPTS}", key),
        expected_version=expected,
    )
    return written(await bus.handle(command), log, response)


@router.post(
    ADJUSTMENTS,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Correct the stock on hand by a signed delta",
)
async def adjust(
    sku: SkuPath,
    body: AdjustmentBody,
    admin: AdminDep,
    key: KeyDep,
    expected: ExpectedVersion,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> Written:
    command = AdjustStock(
        sku,
        body.delta,
        body.reason,
        expected_version=expected,
        request_id=request_id(admin.sub, f"POST /inventory{ADJUSTMENTS}", key),
    )
    return written(await bus.handle(command), log, response)
