"""GET /metrics: request counts and latency by route, events appended, lag, checkout outcomes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.query_app import create_query_app
from app.run.saga import build_saga
from tests.api.factories import place, stocked_product
from tests.ops.scrape import scrape, value

ORDER_ROUTE = "/orders/{order_id}"


def test_requests_are_counted_by_route_template_method_and_status(queries):
    queries.get("/health")
    queries.get("/health")
    queries.get("/orders/3f2504e0-4f89-41d3-9a0c-0305e82c3301")  # no token: 401

    text = scrape(queries)

    assert value(text, "shop_http_requests_total", route="/health", status="200") == 2
    assert value(text, "shop_http_requests_total", route=ORDER_ROUTE, status="401") == 1
    assert value(text, "shop_http_request_duration_seconds_count", route="/health") == 2


def test_unknown_paths_share_one_label(queries):
    queries.get("/no/such/path/1")
    queries.get("/no/such/path/2")

    assert value(scrape(queries), "shop_http_requests_total", route="<unmatched>") == 2


def test_events_appended_counts_what_this_process_wrote(commands, admin, container):
    before = value(scrape(commands), "shop_events_appended_total")

    stocked_product(commands, admin, "MUG-1")

    text = scrape(commands)
    assert before == 0
    assert value(text, "shop_events_appended_total") == container.log.head()
    assert value(text, "shop_event_saves_total") == 2  # product, then inventory


def test_projection_lag_gauges_follow_the_projectors(commands, queries, admin, container):
    stocked_product(commands, admin, "MUG-1")
    head = container.log.head()

    behind = scrape(queries)
    container.read_models.catch_up()
    caught_up = scrape(queries)

    assert value(behind, "shop_event_log_head") == head
    for name in container.read_models.names:
        assert value(behind, "shop_projection_lag_events", projection=name) == head
        assert value(behind, "shop_projection_lag_seconds", projection=name) is not None
        assert value(caught_up, "shop_projection_position", projection=name) == head
        assert value(caught_up, "shop_projection_lag_events", projection=name) == 0


def test_checkout_outcomes_are_counted_by_reason(commands, queries, admin, alice, container):
    stocked_product(commands, admin, "MUG-1")
    place(commands, alice, "k-ok", payment={"token": "tok_ok"})
    place(commands, alice, "k-no", payment={"token": "tok_declined"})
    in_flight = value(scrape(queries), "shop_checkouts_in_flight")

    saga = build_saga(container)
    saga.run_until_idle()
    saga.close()
    text = scrape(queries)

    assert in_flight == 2
    assert value(text, "shop_checkout_outcomes_total", outcome="confirmed") == 1
    assert (
        value(text, "shop_checkout_outcomes_total", outcome="cancelled", reason="PAYMENT_DECLINED")
        == 1
    )
    assert value(text, "shop_checkouts_in_flight") == 0


def test_two_apps_in_one_process_keep_their_own_registries(container, queries):
    with TestClient(create_query_app(container)) as other:
        other.get("/health")
        queries.get("/health")
        queries.get("/health")

        assert value(scrape(other), "shop_http_requests_total", route="/health") == 1
        assert value(scrape(queries), "shop_http_requests_total", route="/health") == 2


def test_the_command_api_reports_the_log_but_never_opens_the_read_stores(commands, container):
    text = scrape(commands)

    assert value(text, "shop_event_log_head") == 0
    assert value(text, "shop_projection_lag_events") is None
    assert container.read_models._views == {}  # no view was built to answer the scrape
