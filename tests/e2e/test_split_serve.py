"""`shop serve command` and `shop serve query`: each serves its own half, on one store."""

from __future__ import annotations

import httpx

from tests.e2e.server import ShopServer


def test_the_command_and_query_servers_split_the_api(tmp_path):
    data_dir = tmp_path / "var"
    command = ShopServer(data_dir, "command").start()
    query = ShopServer(data_dir, "query").start()
    try:
        admin = command.headers("admin", "ops")
        product = {
            "sku": "CUP-2",
            "name": "Cup",
            "category": "kitchen",
            "brand": "Acme",
            "price": 5000,
            "currency": "KRW",
        }

        written = httpx.post(f"{command.url}/products", json=product, headers=admin)
        not_here = httpx.get(f"{command.url}/catalog/search", headers=admin)
        read = httpx.get(f"{query.url}/catalog/search", headers=admin)
        no_writes = httpx.post(f"{query.url}/products", json=product, headers=admin)
    finally:
        statuses = (command.stop(), query.stop())

    assert written.status_code == 201
    assert httpx.codes.is_client_error(not_here.status_code)
    assert read.status_code == 200  # nothing projects in this test: an empty catalog
    assert httpx.codes.is_client_error(no_writes.status_code)
    assert statuses == (0, 0)
