"""GET /ready: the store answers and, on the read side, every projection is within the SLO."""

from __future__ import annotations

from tests.api.factories import assert_error, stocked_product


def test_a_caught_up_query_api_is_ready(queries, container):
    answer = queries.get("/ready")

    assert answer.status_code == 200
    assert answer.json()["status"] == "ready"
    assert set(answer.json()["projections"]) == set(container.read_models.names)


def test_lag_over_the_slo_makes_the_query_api_unready(commands, queries, admin, clock, container):
    stocked_product(commands, admin, "MUG-1")  # appended, and no projector runs
    clock.ahead_s = 60  # the unapplied events are now a minute old; the SLO is 5 s

    error = assert_error(queries.get("/ready"), 503, "not_ready")

    assert "order_views" in error["message"]
    assert "SLO 5s" in error["message"]
    assert len(error["reasons"]) == len(container.read_models.names)  # one per projection


def test_catching_up_makes_it_ready_again(commands, queries, admin, clock, container):
    stocked_product(commands, admin, "MUG-1")
    clock.ahead_s = 60
    assert queries.get("/ready").status_code == 503

    container.read_models.catch_up()

    assert queries.get("/ready").status_code == 200


def test_the_command_api_does_not_wait_for_projections(commands, admin, clock):
    stocked_product(commands, admin, "MUG-1")
    clock.ahead_s = 60

    answer = commands.get("/ready")

    assert answer.status_code == 200
    assert answer.json()["projections"] == {}


def test_an_unreachable_event_store_makes_every_api_unready(
    commands, queries, container, monkeypatch
):
    def down() -> int:
        raise ConnectionError("store down")

    monkeypatch.setattr(container.store, "head", down)

    for client in (commands, queries):
        error = assert_error(client.get("/ready"), 503, "not_ready")
        assert error["message"] == "event store unreachable: ConnectionError"


def test_an_unreachable_read_model_makes_the_query_api_unready(queries, container, monkeypatch):
    def broken(name: str) -> tuple[int, float]:
        raise OSError("read db down")

    monkeypatch.setattr(container.read_models, "lag", broken)

    error = assert_error(queries.get("/ready"), 503, "not_ready")
    assert "read model order_views unreachable: OSError" in error["reasons"]


def test_health_and_ready_need_no_token(queries, commands):
    for client in (queries, commands):
        assert client.get("/health").status_code == 200
        assert client.get("/ready").status_code == 200
        assert client.get("/metrics").status_code == 200
