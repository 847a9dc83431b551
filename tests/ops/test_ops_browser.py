"""The /ops page in a real browser: `shop serve` in a subprocess, headless Chromium on it."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.ops import chromium
from tests.ops.server import serving, token


def place_an_order(base_url: str) -> str:
    admin = {"Authorization": f"Bearer {token('admin', 'ops-admin')}"}
    alice = {"Authorization": f"Bearer {token('customer', 'alice')}", "Idempotency-Key": "ops-1"}
    with httpx.Client(base_url=base_url, timeout=30) as client:
        product = {
            "sku": "OPS-1",
            "name": "Ops mug",
            "description": "for the browser test",
            "category": "kitchen",
            "brand": "Acme",
            "price": 1500,
            "currency": "EUR",
            "attributes": {},
        }
        client.post("/products", json=product, headers=admin).raise_for_status()
        client.post("/inventory/OPS-1/receipts", json={"quantity": 5}, headers=admin)
        order = {"lines": [{"sku": "OPS-1", "quantity": 1}], "payment": {"token": "tok_ok"}}
        placed = client.post("/orders", json=order, headers=alice)
        placed.raise_for_status()
        return str(placed.json()["order_id"])


def cells(dom: str, table_id: str) -> list[str]:
    """Text of the cells in one table's body (enough HTML parsing for our own page)."""
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', dom, flags=re.S)
    assert table is not None, f"no table {table_id}"
    found = re.findall(r"<td[^>]*>(.*?)</td>", table[1], flags=re.S)
    return [re.sub(r"<[^>]+>", "", cell) for cell in found]


def test_the_ops_page_renders_projections_and_a_stream(tmp_path: Path):
    binary = chromium.require_chromium()
    with serving(tmp_path / "var") as base_url:
        order_id = place_an_order(base_url)
        url = f"{base_url}/ops#token={token('admin', 'ops-admin')}&stream=order-{order_id}"

        dom = chromium.dump_dom(binary, tmp_path / "profile", url)
        shot = chromium.screenshot(
            binary, tmp_path / "profile", url, chromium.output_dir() / "ops.png"
        )

    print(f"ops page screenshot: {shot}")
    projections = cells(dom, "projections")
    assert {"order_views", "hot_lookups", "catalog_search"} <= set(projections)
    assert "Order.Placed" in cells(dom, "stream")
    assert f"order-{order_id}" in cells(dom, "recent")
    assert 'id="error"></span>' in dom  # no API call failed
