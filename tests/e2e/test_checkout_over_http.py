"""A checkout walked over HTTP against a real `shop serve` process, which then stops cleanly."""

from __future__ import annotations

import subprocess
import time

import httpx
import pytest

from tests.e2e.server import SHOP, ShopServer


def wait_for_status(
    client: httpx.Client, path: str, headers: dict[str, str], status: str, timeout_s: float = 20.0
) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body = client.get(path, headers=headers).json()
        if body.get("status") == status:
            return body  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"{path} never reached {status}: {body}")


def test_admin_stocks_a_product_and_a_customer_checks_out_with_a_coupon(tmp_path):
    server = ShopServer(tmp_path / "var").start()
    admin = server.headers("admin", "ops")
    carol = server.headers("customer", "carol")
    with httpx.Client(base_url=server.url, timeout=10) as client:
        product = {
            "sku": "LAMP-9",
            "name": "Desk lamp",
            "description": "LED",
            "category": "home",
            "brand": "Lumo",
            "price": 30000,
            "currency": "KRW",
        }
        assert client.post("/products", json=product, headers=admin).status_code == 201
        stock = client.post("/inventory/LAMP-9/receipts", json={"quantity": 3}, headers=admin)
        assert stock.status_code == 202
        coupon = {"code": "LAMP5", "kind": "fixed", "value": 5000, "currency": "KRW"}
        assert client.post("/coupons", json=coupon, headers=admin).status_code == 201

        order = {
            "lines": [{"sku": "LAMP-9", "quantity": 2}],
            "coupon_code": "LAMP5",
            "payment": {"token": "tok_ok"},
            "shipping_address": {"city": "Seoul"},
        }
        placed = client.post("/orders", json=order, headers={**carol, "Idempotency-Key": "e2e-1"})
        assert placed.status_code == 202, placed.text
        order_id, position = placed.json()["order_id"], placed.json()["position"]

        read = client.get(f"/orders/{order_id}", params={"min_position": position}, headers=carol)
        assert read.status_code == 200, read.text
        assert (read.json()["total"], read.json()["discount"]) == (55000, 5000)

        confirmed = wait_for_status(client, f"/orders/{order_id}", carol, "CONFIRMED")
        assert confirmed["payment_status"] == "CAPTURED"
        history = client.get("/customers/carol/orders", headers=carol).json()
        assert [item["order_id"] for item in history["items"]] == [order_id]
        timeline = client.get(f"/orders/{order_id}/timeline", headers=carol).json()["events"]
        types = [event["type"] for event in timeline]
        assert types[0] == "shop.order.placed"
        for fact in ("inventory.stock_reserved", "coupon.redeemed", "order.confirmed"):
            assert f"shop.{fact}" in types
        stock_now = client.get("/inventory/LAMP-9", headers=carol).json()
        assert stock_now["on_hand"] == 1

    assert server.stop() == 0, server.output()


def test_the_demo_catalog_is_seeded_and_shop_token_works(server: ShopServer):
    token = subprocess.run(
        [SHOP, "token", "--role", "customer", "--sub", "dave"],
        env=server.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    response = httpx.get(
        f"{server.url}/catalog/search",
        params={"q": "mug"},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 200
    assert [item["sku"] for item in response.json()["items"]] == ["MUG-1"]


@pytest.mark.parametrize("path", ["/docs", "/openapi.json", "/health"])
def test_docs_and_health_are_served_without_a_token(server: ShopServer, path: str):
    assert httpx.get(f"{server.url}{path}").status_code == 200
