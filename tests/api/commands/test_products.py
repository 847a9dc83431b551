"""POST /products, PATCH /products/{sku}, PUT /products/{sku}/price, POST .../discontinue."""

from __future__ import annotations

import pytest

from tests.api.factories import assert_error, product_body


def test_registering_a_product_answers_201_with_location_etag_and_position(commands, admin, head):
    response = commands.post("/products", json=product_body(), headers=admin)

    assert response.status_code == 201
    assert response.headers["Location"] == "/catalog/products/MUG-1"
    assert response.headers["ETag"] == '"0"'
    body = response.json()
    assert body == {"stream_id": "product-MUG-1", "version": 0, "position": head(), "changed": True}


def test_registering_a_sku_again_with_another_body_is_409_and_writes_nothing(commands, admin, head):
    commands.post("/products", json=product_body(), headers=admin)
    before = head()

    response = commands.post("/products", json=product_body(name="Teacup"), headers=admin)

    assert_error(response, 409, "product_already_registered")
    assert head() == before


def test_a_repeated_registration_answers_201_as_the_first_time(commands, admin, head):
    key = {**admin, "Idempotency-Key": "reg-1"}
    first = commands.post("/products", json=product_body(), headers=key)
    commands.put("/products/MUG-1/price", json={"price": 9900}, headers=admin)
    before = head()

    again = commands.post("/products", json=product_body(), headers=key)

    assert again.status_code == 201
    assert again.json() == {
        "stream_id": "product-MUG-1",
        "version": 0,
        "position": before,
        "changed": False,
    }
    assert (again.headers["ETag"], again.headers["Location"]) == (
        first.headers["ETag"],
        first.headers["Location"],
    )
    assert head() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"price": 0},
        {"price": -5},
        {"price": 10**13},
        {"price": "12900"},
        {"price": 12.5},
        {"price": True},
        {"sku": "bad sku"},
        {"sku": ""},
        {"currency": "krw"},
        {"name": ""},
        {"name": "   "},
        {"name": "n" * 201},
        {"description": "d" * 5001},
        {"brand": None},
        {"attributes": {f"k{i}": "v" for i in range(51)}},
        {"attributes": {"k": 1}},
        {"unexpected": "field"},
    ],
)
def test_bad_product_bodies_are_422_and_write_nothing(commands, admin, head, overrides):
    response = commands.post("/products", json=product_body(**overrides), headers=admin)

    assert_error(response, 422, "invalid_request")
    assert head() == 0


def test_an_integral_json_number_is_an_integer(commands, admin, container):
    response = commands.post("/products", json=product_body(price=12900.0), headers=admin)

    assert response.status_code == 201
    assert container.store.get("product-MUG-1").price == 12900


def test_a_missing_field_is_422_naming_it(commands, admin, head):
    body = product_body()
    del body["name"]

    error = assert_error(commands.post("/products", json=body, headers=admin), 422)

    assert "name" in error["message"]
    assert head() == 0


def test_malformed_json_is_400_and_writes_nothing(commands, admin, head):
    headers = {**admin, "Content-Type": "application/json"}

    response = commands.post("/products", content=b'{"sku": "MUG-1",', headers=headers)

    assert_error(response, 400, "malformed_json")
    assert head() == 0


def test_changing_details_changes_only_the_fields_given(commands, admin, container):
    commands.post("/products", json=product_body(), headers=admin)

    response = commands.patch("/products/MUG-1", json={"name": "Big mug"}, headers=admin)

    assert response.status_code == 202
    assert response.json()["changed"] is True
    product = container.store.get("product-MUG-1")
    assert (product.name, product.brand) == ("Big mug", "Acme")


def test_an_empty_patch_changes_nothing_and_writes_nothing(commands, admin, head):
    commands.post("/products", json=product_body(), headers=admin)
    before = head()

    response = commands.patch("/products/MUG-1", json={}, headers=admin)

    assert response.status_code == 202
    assert response.json()["changed"] is False
    assert response.json()["position"] == before == head()


def test_patching_an_unknown_sku_is_404(commands, admin, head):
    response = commands.patch("/products/NOPE-1", json={"name": "x"}, headers=admin)

    assert_error(response, 404, "unknown_product")
    assert head() == 0


def test_patch_refuses_extra_fields_and_wrong_types(commands, admin, head):
    commands.post("/products", json=product_body(), headers=admin)
    before = head()

    for body in ({"price": 1}, {"name": 5}, {"attributes": []}):
        assert_error(commands.patch("/products/MUG-1", json=body, headers=admin), 422)
    assert head() == before


def test_changing_the_price_answers_202_and_records_it(commands, admin, container):
    commands.post("/products", json=product_body(), headers=admin)

    response = commands.put("/products/MUG-1/price", json={"price": 9900}, headers=admin)

    assert response.status_code == 202
    assert response.headers["ETag"] == '"1"'
    assert container.store.get("product-MUG-1").price == 9900


@pytest.mark.parametrize("price", [0, -1, "9900", None, 10**13])
def test_a_bad_price_is_422(commands, admin, head, price):
    commands.post("/products", json=product_body(), headers=admin)
    before = head()

    assert_error(commands.put("/products/MUG-1/price", json={"price": price}, headers=admin), 422)
    assert head() == before


def test_repricing_an_unknown_sku_is_404(commands, admin):
    response = commands.put("/products/NOPE-1/price", json={"price": 100}, headers=admin)

    assert_error(response, 404, "unknown_product")


def test_discontinuing_is_202_and_a_repeat_changes_nothing(commands, admin, head):
    commands.post("/products", json=product_body(), headers=admin)

    first = commands.post("/products/MUG-1/discontinue", headers=admin)
    again = commands.post("/products/MUG-1/discontinue", headers=admin)

    assert (first.status_code, again.status_code) == (202, 202)
    assert (first.json()["changed"], again.json()["changed"]) == (True, False)
    assert again.json()["position"] == head()


def test_a_discontinued_product_refuses_price_changes_with_409(commands, admin, head):
    commands.post("/products", json=product_body(), headers=admin)
    commands.post("/products/MUG-1/discontinue", headers=admin)
    before = head()

    response = commands.put("/products/MUG-1/price", json={"price": 100}, headers=admin)

    assert_error(response, 409, "product_discontinued")
    assert head() == before


def test_discontinuing_an_unknown_sku_is_404(commands, admin):
    assert_error(commands.post("/products/NOPE-1/discontinue", headers=admin), 404)


def test_a_malformed_sku_in_the_path_is_422(commands, admin):
    assert_error(commands.put("/products/bad%20sku/price", json={"price": 1}, headers=admin), 422)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/products/MUG-1", {"name": "Big mug"}),
        ("put", "/products/MUG-1/price", {"price": 9900}),
        ("post", "/products/MUG-1/discontinue", None),
    ],
)
def test_a_stale_if_match_is_412_and_writes_nothing(commands, admin, head, method, path, body):
    commands.post("/products", json=product_body(), headers=admin)
    commands.put("/products/MUG-1/price", json={"price": 9900 + 1}, headers=admin)  # version 1
    before = head()

    response = commands.request(method, path, json=body, headers={**admin, "If-Match": '"0"'})

    assert_error(response, 412, "version_mismatch")
    assert head() == before


@pytest.mark.parametrize("tag", ['"1"', 'W/"1"', "*"])
def test_a_current_if_match_lets_the_write_through(commands, admin, container, tag):
    commands.post("/products", json=product_body(), headers=admin)
    commands.patch("/products/MUG-1", json={"name": "Big mug"}, headers=admin)

    response = commands.put(
        "/products/MUG-1/price", json={"price": 100}, headers={**admin, "If-Match": tag}
    )

    assert response.status_code == 202
    assert response.headers["ETag"] == '"2"'
    assert container.store.get("product-MUG-1").price == 100


@pytest.mark.parametrize("tag", ["1", '"one"', '"1", "2"', '"-1"'])
def test_a_malformed_if_match_is_400_and_writes_nothing(commands, admin, head, tag):
    commands.post("/products", json=product_body(), headers=admin)
    before = head()

    response = commands.patch(
        "/products/MUG-1", json={"name": "x"}, headers={**admin, "If-Match": tag}
    )

    assert_error(response, 400, "invalid_header")
    assert head() == before


def test_a_repeated_discontinue_with_its_key_and_if_match_answers_as_the_first_time(
    commands, admin, head
):
    commands.post("/products", json=product_body(), headers=admin)
    headers = {**admin, "If-Match": '"0"', "Idempotency-Key": "stop-1"}
    first = commands.post("/products/MUG-1/discontinue", headers=headers)
    before = head()

    again = commands.post("/products/MUG-1/discontinue", headers=headers)

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json() | {"changed": False, "position": before}
    assert head() == before


def test_product_writes_declare_idempotency_key_and_if_match(commands):
    paths = commands.get("/openapi.json").json()["paths"]

    def headers(path: str, method: str) -> set[str]:
        params = paths[path][method].get("parameters", [])
        return {p["name"] for p in params if p["in"] == "header"}

    assert "Idempotency-Key" in headers("/products", "post")
    assert {"Idempotency-Key", "If-Match"} <= headers("/products/{sku}/discontinue", "post")
    assert "If-Match" in headers("/products/{sku}/price", "put")
