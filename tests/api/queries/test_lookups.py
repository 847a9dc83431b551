"""GET /inventory/{sku}, GET /coupons/{code}, GET /projections."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.query_app import create_query_app
from app.bootstrap import bootstrap
from tests.api.factories import assert_error, coupon_body, stocked_product


def test_stock_shows_on_hand_reserved_and_available(commands, queries, admin, alice, project):
    position = stocked_product(commands, admin, "MUG-1", 7)
    project()

    response = queries.get("/inventory/MUG-1", params={"min_position": position}, headers=alice)

    assert response.status_code == 200
    assert response.json() == {"sku": "MUG-1", "on_hand": 7, "reserved": 0, "available": 7}


def test_stock_of_an_unknown_sku_is_404(queries, alice):
    assert_error(queries.get("/inventory/NOPE-1", headers=alice), 404, "unknown_inventory_item")


def test_stock_refuses_unknown_parameters(queries, alice):
    assert_error(queries.get("/inventory/MUG-1", params={"min_positon": 1}, headers=alice), 422)


def test_a_coupon_shows_its_rules_and_redemptions(commands, queries, admin, alice, project):
    commands.post("/coupons", json=coupon_body(per_customer_limit=1), headers=admin)
    project()

    response = queries.get("/coupons/SPRING10", headers=alice)

    assert response.status_code == 200
    body = response.json()
    assert (body["kind"], body["value"], body["redemptions"], body["disabled"]) == (
        "percent",
        10,
        0,
        False,
    )


def test_an_unknown_coupon_is_404(queries, alice):
    assert_error(queries.get("/coupons/NOPE", headers=alice), 404, "unknown_coupon")


def test_projections_show_position_and_lag_to_admins(commands, queries, admin):
    position = stocked_product(commands, admin)

    body = queries.get("/projections", headers=admin).json()

    assert {p["name"] for p in body} == {
        "order_views",
        "hot_lookups",
        "catalog_search",
        "customers",
    }
    assert all(p["head"] == position and p["lag_events"] == position for p in body)


def test_stock_carries_its_stream_version_as_etag(commands, queries, admin, alice, project):
    stocked_product(commands, admin, "MUG-1", 7)
    written = commands.post(
        "/inventory/MUG-1/adjustments", json={"delta": -1, "reason": "x"}, headers=admin
    )
    project()

    response = queries.get("/inventory/MUG-1", headers=alice)

    assert response.headers["ETag"] == written.headers["ETag"] == '"2"'


def test_a_coupon_carries_its_stream_version_as_etag(commands, queries, admin, alice, project):
    commands.post("/coupons", json=coupon_body(), headers=admin)
    written = commands.post("/coupons/SPRING10/disable", headers=admin)
    project()

    response = queries.get("/coupons/SPRING10", headers=alice)

    assert response.headers["ETag"] == written.headers["ETag"] == '"1"'
    assert response.json()["disabled"] is True


def test_a_percent_coupon_has_no_currency_and_a_fixed_one_has_its_own(
    commands, queries, admin, alice, project
):
    commands.post("/coupons", json=coupon_body(), headers=admin)
    commands.post(
        "/coupons",
        json=coupon_body("FLAT5", kind="fixed", value=5000, currency="KRW"),
        headers=admin,
    )
    project()

    percent = queries.get("/coupons/SPRING10", headers=alice).json()
    fixed = queries.get("/coupons/FLAT5", headers=alice).json()

    assert (percent["currency"], fixed["currency"]) == (None, "KRW")


@pytest.fixture
def limited(api_settings) -> Iterator[TestClient]:
    """A query API allowing 3 coupon lookups per caller per minute."""
    container = bootstrap(api_settings.model_copy(update={"coupon_lookup_rate": "3/minute"}))
    with TestClient(create_query_app(container)) as client:
        yield client
    container.close()


def test_coupon_lookups_over_the_rate_are_429_with_retry_after(limited, alice, bob):
    answers = [limited.get("/coupons/NOPE", headers=alice) for _ in range(4)]

    assert [a.status_code for a in answers] == [404, 404, 404, 429]
    assert_error(answers[-1], 429, "rate_limited")
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert limited.get("/coupons/NOPE", headers=bob).status_code == 404  # per caller


def test_a_malformed_rate_fails_at_start_naming_the_setting():
    from pydantic import ValidationError

    from config.settings import Settings

    with pytest.raises(ValidationError, match="SHOP_COUPON_LOOKUP_RATE"):
        Settings(coupon_lookup_rate="sixty a minute")
