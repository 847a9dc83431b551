"""Request builders and setup steps shared by the API tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

ERROR_KEYS = {"code", "message"}


def product_body(sku: str = "MUG-1", **overrides: Any) -> dict[str, Any]:
    body = {
        "sku": sku,
        "name": "Stoneware mug",
        "description": "350 ml",
        "category": "kitchen",
        "brand": "Acme",
        "price": 12900,
        "currency": "KRW",
        "attributes": {"colour": "white"},
    }
    return body | overrides


def coupon_body(code: str = "SPRING10", **overrides: Any) -> dict[str, Any]:
    return {"code": code, "kind": "percent", "value": 10} | overrides


def order_body(sku: str = "MUG-1", quantity: int = 2, **overrides: Any) -> dict[str, Any]:
    body = {"lines": [{"sku": sku, "quantity": quantity}], "payment": {"token": "tok_ok"}}
    return body | overrides


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The documented error shape: `{"error": {"code", "message"}}` with `status`."""
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= ERROR_KEYS
    assert isinstance(error["code"], str)
    assert isinstance(error["message"], str)
    if code is not None:
        assert error["code"] == code
    return error  # type: ignore[no-any-return]


def stocked_product(
    client: TestClient,
    admin: dict[str, str],
    sku: str = "MUG-1",
    quantity: int = 10,
    **overrides: Any,
) -> int:
    """Register `sku` and receive `quantity`; the position of the receipt."""
    ok = client.post("/products", json=product_body(sku, **overrides), headers=admin)
    assert ok.status_code == 201, ok.text
    received = client.post(f"/inventory/{sku}/receipts", json={"quantity": quantity}, headers=admin)
    assert received.status_code == 202, received.text
    return int(received.json()["position"])


def place(client: TestClient, customer: dict[str, str], key: str = "key-1", **body: Any) -> Any:
    return client.post(
        "/orders", json=order_body(**body), headers={**customer, "Idempotency-Key": key}
    )
