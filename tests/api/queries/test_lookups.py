"""GET /inventory/{sku}, GET /coupons/{code}, GET /projections."""

from __future__ import annotations

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
        "percent", 10, 0, False)  # fmt: skip


def test_an_unknown_coupon_is_404(queries, alice):
    assert_error(queries.get("/coupons/NOPE", headers=alice), 404, "unknown_coupon")


def test_projections_show_position_and_lag_to_admins(commands, queries, admin):
    position = stocked_product(commands, admin)

    body = queries.get("/projections", headers=admin).json()

    assert {p["name"] for p in body} == {"order_views", "hot_lookups", "catalog_search"}
    assert all(p["head"] == position and p["lag_events"] == position for p in body)
