"""Catalog writes (admin): register, change details or price, discontinue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import BusDep, ContainerDep, require_admin
from api.errors import responses
from api.schemas.common import Written
from api.schemas.fields import SKU_PATTERN
from api.schemas.products import ChangeDetailsBody, ChangePriceBody, RegisterProductBody
from api.writes import written
from commands.product import ChangePrice, ChangeProductDetails, DiscontinueProduct, RegisterProduct

router = APIRouter(
    prefix="/products",
    tags=["products"],
    dependencies=[Depends(require_admin)],
    responses=responses(401, 403, 409, 413, 422),  # 409: also a lost write race
)

SkuPath = Annotated[str, Path(pattern=SKU_PATTERN, description="The product's sku.")]


@router.post(
    "", status_code=status.HTTP_201_CREATED, responses=responses(400, 409),
    summary="Register a product",
)  # fmt: skip
async def register_product(
    body: RegisterProductBody, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    accepted = await bus.handle(RegisterProduct(**body.model_dump()))
    return written(accepted, container, response, location=f"/catalog/products/{body.sku}")


@router.patch(
    "/{sku}", status_code=status.HTTP_202_ACCEPTED, responses=responses(400, 404, 409),
    summary="Change some of a product's details",
)  # fmt: skip
async def change_details(
    sku: SkuPath, body: ChangeDetailsBody, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    accepted = await bus.handle(ChangeProductDetails(sku=sku, **body.model_dump()))
    return written(accepted, container, response)


@router.put(
    "/{sku}/price", status_code=status.HTTP_202_ACCEPTED, responses=responses(400, 404, 409),
    summary="Change a product's price",
)  # fmt: skip
async def change_price(
    sku: SkuPath, body: ChangePriceBody, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    return written(await bus.handle(ChangePrice(sku, body.price)), container, response)


@router.post(
    "/{sku}/discontinue", status_code=status.HTTP_202_ACCEPTED, responses=responses(404),
    summary="Discontinue a product (it can no longer be ordered)",
)  # fmt: skip
async def discontinue(
    sku: SkuPath, bus: BusDep, container: ContainerDep, response: Response
) -> Written:
    return written(await bus.handle(DiscontinueProduct(sku)), container, response)
