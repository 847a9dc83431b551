"""Cross-cutting HTTP behaviour: body size cap, correlation ids, unknown routes."""

from __future__ import annotations

from tests.api.factories import assert_error, product_body


def test_a_body_over_64_kib_is_413_and_writes_nothing(commands, admin, head):
    body = product_body(description="d" * 70_000)

    assert_error(commands.post("/products", json=body, headers=admin), 413, "payload_too_large")
    assert head() == 0


def test_a_streamed_body_over_the_cap_is_413(commands, admin, head):
    chunks = (b"x" * 16_384 for _ in range(5))  # no Content-Length: chunked
    headers = {**admin, "Content-Type": "application/json"}

    assert_error(commands.post("/products", content=chunks, headers=headers), 413)
    assert head() == 0


def test_the_correlation_id_is_echoed_and_stamped_on_the_events(commands, admin, container):
    headers = {**admin, "X-Correlation-ID": "req-42"}

    response = commands.post("/products", json=product_body(), headers=headers)

    assert response.headers["X-Correlation-ID"] == "req-42"
    [logged] = container.log.read(0)
    assert logged.metadata["correlation_id"] == "req-42"


def test_an_unsafe_correlation_id_is_replaced_by_a_fresh_one(commands):
    response = commands.get("/health", headers={"X-Correlation-ID": "x" * 500})

    assert len(response.headers["X-Correlation-ID"]) == 36


def test_unknown_routes_and_methods_answer_in_the_error_shape(commands, queries):
    assert_error(queries.get("/nowhere"), 404, "not_found")
    assert_error(commands.delete("/products"), 405, "method_not_allowed")


def test_a_non_json_body_is_422_in_the_error_shape(commands, admin, head):
    headers = {**admin, "Content-Type": "text/plain"}

    assert_error(commands.post("/products", content=b"sku=MUG-1", headers=headers), 422)
    assert head() == 0
