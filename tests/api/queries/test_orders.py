"""GET /orders/{order_id}, GET /orders/{order_id}/timeline, GET /customers/{id}/orders."""

from __future__ import annotations

import uuid

import pytest

from tests.api.factories import assert_error, place, stocked_product


@pytest.fixture
def order_id(commands, admin, alice, project) -> str:
    stocked_product(commands, admin)
    placed = place(commands, alice).json()
    project()
    return str(placed["order_id"])


def test_the_owner_reads_the_order(queries, alice, order_id):
    response = queries.get(f"/orders/{order_id}", headers=alice)

    assert response.status_code == 200
    body = response.json()
    assert (body["order_id"], body["customer_id"], body["status"]) == (order_id, "alice", "PENDING")
    assert (body["subtotal"], body["discount"], body["total"]) == (25800, 0, 25800)
    assert body["lines"] == [
        {"sku": "MUG-1", "name": "Stoneware mug", "quantity": 2, "unit_price": 12900}
    ]


def test_an_admin_reads_any_order(queries, admin, order_id):
    assert queries.get(f"/orders/{order_id}", headers=admin).status_code == 200


def test_another_customers_order_is_404(queries, bob, order_id):
    assert_error(queries.get(f"/orders/{order_id}", headers=bob), 404, "unknown_order")
    assert_error(queries.get(f"/orders/{order_id}/timeline", headers=bob), 404, "unknown_order")


def test_an_unknown_order_is_404_and_a_malformed_id_422(queries, alice):
    assert_error(queries.get(f"/orders/{uuid.uuid4()}", headers=alice), 404)
    assert_error(queries.get("/orders/12", headers=alice), 422)


def test_min_position_makes_a_fresh_order_readable(commands, queries, admin, alice, container):
    stocked_product(commands, admin)
    placed = place(commands, alice).json()
    runner = container.read_models.runner("order_views")
    runner.start()
    try:
        params = {"min_position": placed["position"]}
        response = queries.get(f"/orders/{placed['order_id']}", params=params, headers=alice)
    finally:
        runner.stop()

    assert response.status_code == 200


def test_the_timeline_lists_the_orders_facts_in_log_order(queries, alice, order_id):
    response = queries.get(f"/orders/{order_id}/timeline", headers=alice)

    assert response.status_code == 200
    events = response.json()["events"]
    assert events[0]["type"] == "shop.order.placed"
    assert [e["position"] for e in events] == sorted(e["position"] for e in events)


def test_history_lists_the_customers_orders(commands, queries, alice, order_id, project):
    place(commands, alice, key="key-2", quantity=1)
    project()

    body = queries.get("/customers/alice/orders", headers=alice).json()

    assert body["total"] == 2
    assert body["items"][-1]["order_id"] == order_id  # newest first


def test_history_filters_by_status_and_pages(queries, alice, order_id):
    pending = queries.get(
        "/customers/alice/orders", params={"status": "PENDING", "size": 1}, headers=alice
    ).json()
    confirmed = queries.get(
        "/customers/alice/orders", params={"status": "CONFIRMED"}, headers=alice
    ).json()

    assert (pending["total"], pending["size"], len(pending["items"])) == (1, 1, 1)
    assert confirmed["total"] == 0


@pytest.mark.parametrize("params", [{"status": "pending"}, {"size": 101}, {"statuss": "PENDING"}])
def test_history_refuses_bad_filters(queries, alice, params):
    assert_error(queries.get("/customers/alice/orders", params=params, headers=alice), 422)


def test_another_customers_history_is_404(queries, bob, order_id):
    assert_error(queries.get("/customers/alice/orders", headers=bob), 404)


def test_an_admin_reads_any_history(queries, admin, order_id):
    assert queries.get("/customers/alice/orders", headers=admin).json()["total"] == 1
