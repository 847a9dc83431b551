"""GET /catalog/search and GET /catalog/products/{sku}."""

from __future__ import annotations

import pytest

from tests.api.factories import assert_error, product_body, stocked_product


@pytest.fixture
def catalog(commands, admin, project) -> None:
    stocked_product(commands, admin, "MUG-1", 5)
    stocked_product(
        commands,
        admin,
        "TEA-1",
        0 + 1,
        name="Green tea",
        category="grocery",
        brand="Osulloc",
        price=8900,
    )
    commands.post(
        "/inventory/TEA-1/adjustments", json={"delta": -1, "reason": "sold out"}, headers=admin
    )
    project()


def test_search_finds_by_text_with_facets(queries, alice, catalog):
    response = queries.get("/catalog/search", params={"q": "mug"}, headers=alice)

    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 1
    assert body["items"][0]["sku"] == "MUG-1"
    assert body["facets"] == {"category": {"kitchen": 1}, "brand": {"Acme": 1}}


def test_search_filters_sorts_and_pages(queries, alice, catalog):
    cheap_first = queries.get(
        "/catalog/search", params={"sort": "price_asc", "size": 1}, headers=alice
    ).json()
    in_stock = queries.get("/catalog/search", params={"in_stock": "true"}, headers=alice).json()
    grocery = queries.get("/catalog/search", params={"category": "grocery"}, headers=alice).json()

    assert (cheap_first["total"], [i["sku"] for i in cheap_first["items"]]) == (2, ["TEA-1"])
    assert [item["sku"] for item in in_stock["items"]] == ["MUG-1"]
    assert [item["sku"] for item in grocery["items"]] == ["TEA-1"]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "cheapest"},
        {"sortt": "price_asc"},
        {"size": 101},
        {"size": 0},
        {"page": 0},
        {"min_price": -1},
        {"min_price": "cheap"},
        {"in_stock": "maybe"},
        {"q": "q" * 201},
        {"min_price": 10, "max_price": 5},
        {"page": 200, "size": 100},
        {"min_position": -1},
    ],
)
def test_typos_and_bad_filters_are_422_not_empty_results(queries, alice, catalog, params):
    assert_error(queries.get("/catalog/search", params=params, headers=alice), 422)


def test_search_with_min_position_waits_for_the_write(commands, queries, admin, alice, container):
    position = stocked_product(commands, admin, "MUG-1", 5)
    runner = container.read_models.runner("catalog_search")
    runner.start()
    try:
        response = queries.get("/catalog/search", params={"min_position": position}, headers=alice)
    finally:
        runner.stop()

    assert response.json()["items"][0]["available"] == 5


def test_min_position_not_reached_in_time_is_503_with_the_lag(commands, queries, admin, alice):
    position = stocked_product(commands, admin, "MUG-1", 5)  # nothing projects here

    response = queries.get("/catalog/search", params={"min_position": position}, headers=alice)

    error = assert_error(response, 503, "projection_behind")
    assert error["lag"] == position
    assert response.headers["Retry-After"] == "1"


def test_min_position_past_the_head_is_422_at_once(queries, alice):
    assert_error(
        queries.get("/catalog/search", params={"min_position": 10}, headers=alice),
        422,
        "unknown_position",
    )


def test_product_detail(queries, alice, catalog):
    response = queries.get("/catalog/products/TEA-1", headers=alice)

    assert response.status_code == 200
    assert response.json()["name"] == "Green tea"
    assert response.json()["discontinued"] is False


def test_an_unknown_product_is_404(queries, alice, catalog):
    assert_error(queries.get("/catalog/products/NOPE-1", headers=alice), 404, "unknown_product")


def test_a_malformed_sku_is_422(queries, alice):
    assert_error(queries.get("/catalog/products/bad%20sku", headers=alice), 422)


def test_a_product_carries_its_stream_version_as_etag(commands, queries, admin, alice, project):
    commands.post("/products", json=product_body(), headers=admin)
    written = commands.put("/products/MUG-1/price", json={"price": 9900}, headers=admin)
    project()

    response = queries.get("/catalog/products/MUG-1", headers=alice)

    assert response.headers["ETag"] == written.headers["ETag"] == '"1"'
    stale = commands.put(
        "/products/MUG-1/price", json={"price": 1}, headers={**admin, "If-Match": '"0"'}
    )
    fresh = commands.put(
        "/products/MUG-1/price",
        json={"price": 1},
        headers={**admin, "If-Match": response.headers["ETag"]},
    )
    assert (stale.status_code, fresh.status_code) == (412, 202)
