"""Setup steps for the fulfilment API tests: a shipment driven through the bus directly,
as the fulfilment manager and the carrier would drive it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient

from adapters.carrier_signature import sign
from app.bootstrap import Container
from domain.order import ConfirmOrder
from domain.shipment import DispatchShipment, OpenShipment, RecordCarrierEvent, RecordLabel
from tests.api.factories import place, stocked_product

ADDRESS = {
    "name": "Alice",
    "line1": "1 Main St",
    "city": "Seoul",
    "postal_code": "04524",
    "country": "KR",
}


def ordered(client: TestClient, admin: dict[str, str], customer: dict[str, str]) -> str:
    """A stocked mug and an order of 2 by `customer`; the order's uuid."""
    stocked_product(client, admin)
    response = place(client, customer)
    assert response.status_code == 202, response.text
    return str(response.json()["order_id"])


def labelled(container: Container, order_id: str, customer_id: str = "alice") -> str:
    """Confirm the order, open its shipment and give it a label; its tracking number."""
    container.bus.handle(ConfirmOrder(order_id))  # what the checkout does once paid
    tracking = f"TRK-{order_id[:8]}"
    lines = (("MUG-1", 2),)
    container.bus.handle(OpenShipment(order_id, order_id, customer_id, lines, dict(ADDRESS)))
    container.bus.handle(RecordLabel(order_id, "sim", tracking))
    return tracking


def delivered(container: Container, order_id: str, at: datetime | None = None) -> str:
    """The order's shipment labelled, dispatched and delivered; its tracking number."""
    tracking = labelled(container, order_id)
    container.bus.handle(DispatchShipment(order_id, "admin:admin-1"))
    occurred = (at or datetime.now(UTC)).isoformat()
    container.bus.handle(RecordCarrierEvent("ev-delivered", tracking, "DELIVERED", occurred))
    return tracking


def carrier_report(tracking: str, status: str, event_id: str = "ev-1", **extra: Any) -> bytes:
    report = {
        "event_id": event_id,
        "tracking_number": tracking,
        "status": status,
        "occurred_at": datetime.now(UTC).isoformat(),
    }
    return json.dumps(report | extra).encode()


def signed(body: bytes, secret: str) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Carrier-Signature": sign(body, secret)}


def return_body(quantity: int = 1, **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "refund",
        "lines": [{"sku": "MUG-1", "quantity": quantity}],
        "reason": "chipped",
    }
    return body | overrides


def ask(
    client: TestClient, customer: dict[str, str], order_id: str, key: str = "ret-1", **body: Any
) -> Any:
    headers = {**customer, "Idempotency-Key": key}
    return client.post(f"/orders/{order_id}/returns", json=return_body(**body), headers=headers)
