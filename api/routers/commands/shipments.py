"""Shipment writes (admin): hand a labelled parcel to the carrier, or give a held one a
corrected address (the fulfilment then asks the carrier for a label again).

Dispatching is idempotent by nature: a repeat answers 202 and records nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from api.deps import AdminDep, BusDep, EventLogDep, require_admin
from api.errors import responses
from api.request_ids import accepts_idempotency_key
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.shipping import ShipmentWritten, ShippingAddressBody
from api.writes import HasHead, position_of
from commands.results import Accepted
from domain.shipment import CorrectAddress, DispatchShipment

router = APIRouter(
    prefix="/shipments",
    tags=["shipments"],
    dependencies=[Depends(require_admin), Depends(accepts_idempotency_key)],
    responses=responses(400, 401, 403, 404, 409, 413, 422, 503),  # 400: a bad Idempotency-Key
)

ShipmentIdPath = Annotated[
    str,
    Path(
        pattern=ORDER_ID_PATTERN,
        description="The order's uuid, or the return's for an exchange's shipment.",
    ),
]


@router.post(
    "/{shipment_id}/dispatch",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Hand a labelled shipment to the carrier (409 unless LABELLED)",
)
async def dispatch(
    shipment_id: ShipmentIdPath,
    admin: AdminDep,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> ShipmentWritten:
    command = DispatchShipment(shipment_id.lower(), f"{admin.role}:{admin.sub}")
    return _written(await bus.handle(command), log, response)


@router.post(
    "/{shipment_id}/address",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400),
    summary="Correct the address of a shipment the carrier refused (409 unless ON_HOLD)",
)
async def correct_address(
    shipment_id: ShipmentIdPath,
    body: ShippingAddressBody,
    bus: BusDep,
    log: EventLogDep,
    response: Response,
) -> ShipmentWritten:
    command = CorrectAddress(shipment_id.lower(), body.model_dump(exclude_none=True))
    return _written(await bus.handle(command), log, response)


def _written(accepted: Accepted, log: HasHead, response: Response) -> ShipmentWritten:
    response.headers["ETag"] = f'"{accepted.version}"'
    shipment_uuid = accepted.stream_id.removeprefix("shipment-")
    return ShipmentWritten(shipment_id=shipment_uuid, position=position_of(accepted, log))
