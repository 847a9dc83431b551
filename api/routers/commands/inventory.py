"""Stock writes (admin): goods received, counted corrections."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import BusDep, ContainerDep, require_admin
from api.errors import responses
from api.schemas.common import Written
from api.schemas.fields import SKU_PATTERN
from api.schemas.inventory import AdjustmentBody, ReceiptBody
from api.writes import written
from commands.inventory import AdjustStock, ReceiveStock
from domain.product import UnknownProduct
from domain.shared.ids import product_id
from eventstore.bootstrap import Container

router = APIRouter(
    prefix="/inventory",
    tags=["inventory"],
    dependencies=[Depends(require_admin)],
    responses=responses(400, 401, 403, 404, 409, 413, 422),  # 409: also a lost race
)

SkuPath = Annotated[str, Path(pattern=SKU_PATTERN, description="The product's sku.")]


def _require_product(container: Container, sku: str) -> None:
    # Products are never deleted, so checking first cannot race with a removal.
    if container.store.find(product_id(sku)) is None:
        raise UnknownProduct(f"product {sku} is not registered")


@router.post(
    "/{sku}/receipts", status_code=status.HTTP_202_ACCEPTED, summary="Record stock received"
)
async def receive(
    sku: SkuPath, body: ReceiptBody, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    _require_product(container, sku)
    return written(await bus.handle(ReceiveStock(sku, body.quantity)), container, response)


@router.post(
    "/{sku}/adjustments", status_code=status.HTTP_202_ACCEPTED, responses=responses(409),
    summary="Correct the stock on hand by a signed delta",
)  # fmt: skip
async def adjust(
    sku: SkuPath, body: AdjustmentBody, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    _require_product(container, sku)
    return written(await bus.handle(AdjustStock(sku, body.delta, body.reason)), container, response)
