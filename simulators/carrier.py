"""The simulated carrier as an HTTP service (`shop simulate carrier`).

It labels by the rules of the in-process simulator it wraps (one label per shipment,
`postal_code` 00000 or no address refused), keeps a ledger of every label request it
received (`GET /ledger`, so a drill counts them where a real carrier would see them), and
reports parcel events to the shop by signed webhook: on demand (`POST
/parcels/{tracking_number}/events`) or, with `auto_advance_s`, by itself after hand-over.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from commands.carrier import SimulatedCarrier
from simulators.carrier_records import CarrierRecords
from simulators.carrier_webhooks import Advancer, Webhook
from simulators.orphans import stop_when_orphaned

IdempotencyKey = Annotated[str, Header(alias="Idempotency-Key", min_length=1)]


class LabelRequest(BaseModel):
    shipment_id: str = Field(min_length=1, max_length=200)
    order_id: str = Field(min_length=1, max_length=200)
    address: dict[str, Any] | None = None


class ParcelEvent(BaseModel):
    status: Literal["IN_TRANSIT", "DELIVERED", "LOST"]


def create_carrier_app(
    data_dir: Path,
    webhook_url: str | None = None,
    secret: str | None = None,
    auto_advance_s: float | None = None,
) -> FastAPI:
    if webhook_url and not secret:
        raise ValueError("a webhook needs a secret to sign it with")
    data_dir.mkdir(parents=True, exist_ok=True)
    carrier = SimulatedCarrier(data_dir / "carrier-labels.sqlite3")
    records = CarrierRecords(data_dir / "carrier-records.sqlite3")
    webhook = Webhook(webhook_url, secret) if webhook_url and secret else None
    advancer = Advancer(records, webhook, auto_advance_s) if auto_advance_s else None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with stop_when_orphaned(app):
            if advancer is not None:
                advancer.start()
            yield
            if advancer is not None:
                advancer.stop()

    app = FastAPI(title="Simulated carrier", docs_url=None, redoc_url=None, lifespan=lifespan)

    @app.post("/labels")
    def create_label(body: LabelRequest, key: IdempotencyKey) -> dict[str, Any]:
        label = carrier.create_label(body.shipment_id, body.order_id, body.address, key)
        records.record_request(body.order_id, body.shipment_id, label.tracking_number, key)
        if label.tracking_number is not None:
            records.labelled(label.tracking_number)
        return label.__dict__

    @app.get("/labels/{shipment_id}")
    def lookup_label(shipment_id: str) -> Any:
        label = carrier.lookup_label(shipment_id)
        if label is None:
            return JSONResponse({"error": f"no label for {shipment_id}"}, status_code=404)
        return label.__dict__

    @app.post("/labels/{shipment_id}/void")
    def void_label(shipment_id: str, key: IdempotencyKey) -> dict[str, str]:
        carrier.void_label(shipment_id, key)
        if tracking_number := tracking_of(shipment_id):
            records.moved(tracking_number, "VOIDED")
        return {"status": "voided"}

    @app.post("/labels/{shipment_id}/hand-over")
    def hand_over(shipment_id: str, key: IdempotencyKey) -> dict[str, str]:
        carrier.hand_over(shipment_id, key)
        if tracking_number := tracking_of(shipment_id):
            records.picked_up(tracking_number)
        return {"status": "picked_up"}

    def tracking_of(shipment_id: str) -> str | None:
        label = carrier.lookup_label(shipment_id)
        return None if label is None else label.tracking_number

    @app.get("/ledger")
    def ledger(order_id: Annotated[str | None, Query()] = None) -> list[dict[str, Any]]:
        return records.ledger(order_id)

    @app.post("/parcels/{tracking_number}/events")
    def parcel_event(tracking_number: str, body: ParcelEvent) -> Any:
        """Report a parcel event to the shop now (for tests and demos)."""
        if not records.known(tracking_number):
            return JSONResponse({"error": f"no parcel {tracking_number}"}, status_code=404)
        if webhook is None:
            return JSONResponse({"error": "no webhook URL to send to"}, status_code=409)
        records.moved(tracking_number, body.status)
        return webhook.send(tracking_number, body.status)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
