"""The payment gateway port over HTTP: the simulated provider, or a real one that speaks
the same small protocol (`POST /captures` with an `Idempotency-Key`, `GET /captures/{id}`).

Timeouts, connection errors and 5xx answers are transient: nothing is known to have been
captured, and the capture is retried with the same idempotency key, so the provider
answers a repeat with its first answer instead of charging again.
"""

from __future__ import annotations

from typing import Any

from adapters.http_calls import Answer, Provider, send
from commands.payment_gateway import GatewayAnswer, TransientGatewayError


class HttpPaymentGateway:
    def __init__(self, base_url: str, timeout_s: float = 5.0) -> None:
        self._provider = Provider(base_url, timeout_s)

    def capture(
        self, payment_id: str, amount: int, currency: str, token: str, idempotency_key: str
    ) -> GatewayAnswer:
        order_id = payment_id.removeprefix("payment-")
        body = {
            "payment_id": payment_id,
            "order_id": order_id,
            "amount": amount,
            "currency": currency,
            "token": token,
        }
        response = self._send("POST", "/captures", body, {"Idempotency-Key": idempotency_key})
        return _answer(response.json())

    def lookup(self, payment_id: str) -> GatewayAnswer | None:
        response = self._send("GET", f"/captures/{payment_id}")
        return None if response.status_code == 404 else _answer(response.json())

    def refund(self, payment_id: str, amount: int, idempotency_key: str) -> None:
        order_id = payment_id.removeprefix("payment-")
        body = {"payment_id": payment_id, "order_id": order_id, "amount": amount}
        self._send("POST", "/refunds", body, {"Idempotency-Key": idempotency_key})

    def lookup_refund(self, idempotency_key: str) -> bool:
        return self._send("GET", f"/refunds/{idempotency_key}").status_code != 404

    def close(self) -> None:
        self._provider.close()

    def _send(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        return send(self._provider, TransientGatewayError, method, path, body, headers)


def _answer(data: dict[str, Any]) -> GatewayAnswer:
    return GatewayAnswer(data["status"], data.get("reference"), data.get("reason"))
