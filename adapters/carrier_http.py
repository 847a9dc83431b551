"""The carrier port over HTTP: the simulated carrier (`shop simulate carrier`), or a real one
that speaks the same small protocol (`POST /labels` with an `Idempotency-Key`,
`GET /labels/{shipment_id}`, `POST /labels/{shipment_id}/void` and `/hand-over`).

Timeouts, connection errors and 5xx answers are transient: nothing is known to have
happened, and the call is retried with the same idempotency key (the shipment id keys the
label), so the carrier answers a repeat with its first answer instead of a second label.
"""

from __future__ import annotations

from typing import Any

from adapters.http_calls import Answer, Provider, send
from commands.carrier import Label, TransientCarrierError


class HttpCarrier:
    name = "simulated"

    def __init__(self, base_url: str, timeout_s: float = 5.0) -> None:
        self._provider = Provider(base_url, timeout_s)

    def create_label(
        self, shipment_id: str, order_id: str, address: dict[str, Any] | None, idempotency_key: str
    ) -> Label:
        body = {"shipment_id": shipment_id, "order_id": order_id, "address": address}
        response = self._send("POST", "/labels", idempotency_key, body)
        return _label(response.json())

    def lookup_label(self, shipment_id: str) -> Label | None:
        response = self._send("GET", f"/labels/{shipment_id}")
        return None if response.status_code == 404 else _label(response.json())

    def void_label(self, shipment_id: str, idempotency_key: str) -> None:
        self._send("POST", f"/labels/{shipment_id}/void", idempotency_key)

    def hand_over(self, shipment_id: str, idempotency_key: str) -> None:
        self._send("POST", f"/labels/{shipment_id}/hand-over", idempotency_key)

    def close(self) -> None:
        self._provider.close()

    def _send(self, method: str, path: str, key: str | None = None, body: Any = None) -> Answer:
        headers = {} if key is None else {"Idempotency-Key": key}
        return send(self._provider, TransientCarrierError, method, path, body, headers)


def _label(data: dict[str, Any]) -> Label:
    return Label(data["status"], data.get("tracking_number"), data.get("reason"))
