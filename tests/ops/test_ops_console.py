"""/ops: a public page, and admin-only JSON for projections, checkouts and the event browser."""

from __future__ import annotations

import pytest

from app.run.saga import build_saga
from tests.api.factories import assert_error, place, product_body, stocked_product
from tests.ops.conftest import bearer

JSON_PATHS = [
    "/ops/api/projections",
    "/ops/api/checkouts",
    "/ops/api/events",
    "/ops/api/streams/product-MUG-1",
    "/ops/api/leases",
]


def test_the_page_is_served_without_a_token(queries):
    page = queries.get("/ops")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert 'id="projections"' in page.text
    assert 'id="stream"' in page.text


def test_the_page_is_on_the_query_api_only(commands):
    assert commands.get("/ops").status_code == 404


@pytest.mark.parametrize("path", JSON_PATHS)
def test_its_data_is_for_admins_only(queries, path):
    assert_error(queries.get(path), 401, "unauthorized")
    assert_error(queries.get(path, headers=bearer("customer", "alice")), 403, "forbidden")


def test_projections_show_position_head_lag_and_the_slo(commands, queries, admin, container):
    stocked_product(commands, admin, "MUG-1")

    body = queries.get("/ops/api/projections", headers=admin).json()

    assert body["lag_slo_s"] == 5.0
    rows = {row["name"]: row for row in body["projections"]}
    assert set(rows) == set(container.read_models.names)
    assert rows["order_views"]["lag_events"] == container.log.head()
    assert rows["order_views"]["within_slo"] is True


def test_the_stream_browser_shows_each_event_with_its_metadata(commands, queries, admin):
    commands.post("/products", json=product_body("MUG-1"), headers=admin)
    headers = {**admin, "X-Correlation-ID": "ops-test-1"}
    commands.post("/inventory/MUG-1/receipts", json={"quantity": 3}, headers=headers)

    body = queries.get("/ops/api/streams/inventory-MUG-1", headers=admin).json()

    started, received = body["events"]
    assert (started["version"], started["type"]) == (0, "InventoryItem.TrackingStarted")
    assert (received["version"], received["type"]) == (1, "InventoryItem.StockReceived")
    assert received["data"]["quantity"] == 3
    assert received["metadata"]["correlation_id"] == "ops-test-1"
    assert received["timestamp"]


def test_the_stream_browser_pages_by_version(commands, queries, admin):
    stocked_product(commands, admin, "MUG-1")
    for _ in range(2):
        commands.post("/inventory/MUG-1/receipts", json={"quantity": 1}, headers=admin)

    body = queries.get("/ops/api/streams/inventory-MUG-1?after=0&limit=1", headers=admin).json()

    assert [event["version"] for event in body["events"]] == [1]


def test_an_unknown_stream_is_404_and_a_bad_id_422(queries, admin):
    assert_error(queries.get("/ops/api/streams/order-nope", headers=admin), 404, "not_found")
    assert_error(queries.get("/ops/api/streams/bad%20id", headers=admin), 422)


def test_newest_events_come_first_with_their_positions(commands, queries, admin, container):
    stocked_product(commands, admin, "MUG-1")

    events = queries.get("/ops/api/events?limit=2", headers=admin).json()["events"]

    head = container.log.head()
    assert [event["position"] for event in events] == [head, head - 1]
    assert events[0]["stream"] == "inventory-MUG-1"


def test_a_pending_checkout_older_than_the_payment_timeout_is_stuck(
    commands, queries, admin, alice, clock
):
    stocked_product(commands, admin, "MUG-1")
    order_id = place(commands, alice, "k-1").json()["order_id"]
    fresh = queries.get("/ops/api/checkouts", headers=admin).json()

    clock.ahead_s = 31  # the payment timeout is 30 s and no saga runs
    late = queries.get("/ops/api/checkouts", headers=admin).json()

    assert (fresh["in_flight"], fresh["stuck_total"]) == (1, 0)
    assert (late["in_flight"], late["stuck_total"]) == (1, 1)
    assert late["stuck"][0]["order_id"] == order_id
    assert late["stuck"][0]["customer_id"] == "alice"


def test_settled_checkouts_leave_the_in_flight_list(commands, queries, admin, alice, container):
    stocked_product(commands, admin, "MUG-1")
    place(commands, alice, "k-1")
    saga = build_saga(container)
    saga.run_until_idle()
    saga.close()

    body = queries.get("/ops/api/checkouts", headers=admin).json()

    assert body["in_flight"] == 0
    assert body["outcomes"] == [{"outcome": "confirmed", "reason": "", "count": 1}]


def test_leases_show_which_worker_holds_each_unit(queries, admin, container):
    saga = build_saga(container, partitions=2, leased=True)
    saga.leases.tick()  # what the worker's lease thread does first
    try:
        rows = queries.get("/ops/api/leases", headers=admin).json()["leases"]
    finally:
        saga.close()
    after = queries.get("/ops/api/leases", headers=admin).json()["leases"]

    units = {(row["group"], row["unit"]): row for row in rows}
    assert set(units) == {("saga", "checkout-0-of-2"), ("saga", "checkout-1-of-2")}
    assert {row["holder"] for row in rows} == {saga.leases.worker}
    assert all(row["epoch"] >= 1 and row["seconds_left"] > 0 for row in rows)
    assert {row["holder"] for row in after} == {None}  # released when the worker stopped
