"""The carrier's webhook: signed parcel reports, answered without a bearer token.

The signature covers the raw body, so it is checked on the bytes before anything parses
them: an unsigned or tampered report is 401 `invalid_signature` whatever it holds. A
report seen before (its `event_id`) or one of an earlier stage than the parcel is at is
202 and records nothing: the shipment ignores it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, status
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from adapters.carrier_signature import verified
from api.auth import _secret_file
from api.deps import BusDep, EventLogDep
from api.errors import ApiError, responses
from api.schemas.carrier import CarrierEventAccepted, CarrierEventBody
from api.writes import position_of
from config.settings import Settings
from domain.shipment import RecordCarrierEvent

SECRET_FILE = "carrier_webhook_secret"
SECRET_STATE = "carrier_webhook_secret"

router = APIRouter(prefix="/carrier", tags=["carrier"])

Signature = Annotated[
    str | None,
    Header(
        alias="X-Carrier-Signature",
        description="`sha256=<hex HMAC-SHA256 of the raw body>`, keyed with "
        "SHOP_CARRIER_WEBHOOK_SECRET.",
    ),
]


@router.post(
    "/events",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 401, 404, 413, 422, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CarrierEventBody.model_json_schema()}},
        }
    },
    summary="A carrier's signed report on a parcel (no bearer token)",
)
async def carrier_event(
    request: Request, bus: BusDep, log: EventLogDep, signature: Signature = None
) -> CarrierEventAccepted:
    raw = await request.body()
    if not verified(raw, signature, _secret(request)):
        raise ApiError(401, "invalid_signature", "X-Carrier-Signature does not sign this body")
    report = _parsed(raw)
    command = RecordCarrierEvent(
        report.event_id, report.tracking_number, report.status, report.occurred_at.isoformat()
    )
    accepted = await bus.handle(command)  # an unknown tracking number is 404
    return CarrierEventAccepted(position=position_of(accepted, log))


def _parsed(raw: bytes) -> CarrierEventBody:
    """The report, or the validation error every route answers (400 bad JSON, else 422)."""
    try:
        return CarrierEventBody.model_validate_json(raw)
    except ValidationError as error:
        problems = error.errors(include_url=False, include_input=False, include_context=False)
        for problem in problems:
            problem["loc"] = ("body", *problem["loc"])
        raise RequestValidationError(problems) from None


def _secret(request: Request) -> str:
    """Read once per app. The rule of `app.carriers.webhook_secret`, which the signer uses:
    the setting, else the secret generated in the shared data dir (api may not import app).
    """
    secret: str | None = getattr(request.app.state, SECRET_STATE, None)
    if secret is None:
        settings: Settings = request.app.state.settings
        secret = settings.carrier_webhook_secret or _secret_file(settings.data_dir / SECRET_FILE)
        setattr(request.app.state, SECRET_STATE, secret)
    return secret
