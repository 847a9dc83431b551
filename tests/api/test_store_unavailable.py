"""A store that does not answer is 503 `store_unavailable` with `Retry-After`, never 500.

Each kind of connection-level failure is raised where the real one would come from (the
event store's recorder on a write, the hot lookups view on a read), as the driver raises
it or as the library wraps it. The write records nothing, the same request sent again
once the store is back succeeds, and errors of the same classes that are not about the
connection (a bad statement, a broken constraint) still answer 500.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import eventsourcing.persistence as es
import psycopg
import pytest
import redis.exceptions
import sqlalchemy.exc
from fastapi.testclient import TestClient

from api.command_app import create_command_app
from api.query_app import create_query_app
from app.bootstrap import Container
from tests.api.factories import assert_error, product_body, stocked_product

STATEMENT = "INSERT INTO stored_events VALUES (...)"


def wrapped(error: Exception, wrapper: type[Exception]) -> Exception:
    """`wrapper` raised from `error`, as the eventsourcing library raises its own errors."""
    try:
        raise wrapper(str(error)) from error
    except wrapper as caught:
        return caught


KILLED = "terminating connection due to administrator command"
UNAVAILABLE: dict[str, Callable[[], Exception]] = {
    "sqlalchemy operational": lambda: sqlalchemy.exc.OperationalError(
        STATEMENT, {}, psycopg.OperationalError(KILLED)
    ),
    "sqlalchemy interface": lambda: sqlalchemy.exc.InterfaceError(
        STATEMENT, {}, psycopg.InterfaceError("the connection is closed")
    ),
    "sqlalchemy invalidated": lambda: sqlalchemy.exc.DBAPIError(
        STATEMENT, {}, Exception("socket reset"), connection_invalidated=True
    ),
    "sqlalchemy pool timeout": lambda: sqlalchemy.exc.TimeoutError("QueuePool limit reached"),
    "psycopg operational": lambda: psycopg.OperationalError(KILLED),
    "eventsourcing operational": lambda: wrapped(
        psycopg.OperationalError(KILLED), es.OperationalError
    ),
    "eventsourcing interface": lambda: wrapped(
        psycopg.InterfaceError("the connection is lost"), es.InterfaceError
    ),
    "redis connection": lambda: redis.exceptions.ConnectionError("Connection refused"),
    "redis timeout": lambda: redis.exceptions.TimeoutError("Timeout reading from socket"),
    "sqlite locked": lambda: sqlite3.OperationalError("database is locked"),
    "sqlite locked, wrapped": lambda: wrapped(
        sqlite3.OperationalError("database is locked"), es.OperationalError
    ),
}
NOT_ABOUT_THE_CONNECTION: dict[str, Callable[[], Exception]] = {
    "sqlite bad statement": lambda: wrapped(
        sqlite3.OperationalError("no such table: stored_events"), es.OperationalError
    ),
    "sqlalchemy integrity": lambda: sqlalchemy.exc.IntegrityError(
        STATEMENT, {}, psycopg.IntegrityError("duplicate key")
    ),
    "sqlalchemy programming": lambda: sqlalchemy.exc.ProgrammingError(
        STATEMENT, {}, psycopg.ProgrammingError("syntax error")
    ),
    "a plain bug": lambda: RuntimeError("boom"),
}


@pytest.fixture
def writes(container: Container) -> Iterator[TestClient]:
    """The command API answering what a browser would see, 500s included."""
    with TestClient(create_command_app(container), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def reads(container: Container) -> Iterator[TestClient]:
    with TestClient(create_query_app(container), raise_server_exceptions=False) as client:
        yield client


def fail_appends(container: Container, monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def insert_events(*args: Any, **kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(container.store.recorder, "insert_events", insert_events)


@pytest.mark.parametrize("kind", UNAVAILABLE)
def test_a_write_that_cannot_reach_the_store_is_503_and_the_same_request_then_succeeds(
    writes, container, admin, head, monkeypatch, kind
):
    before = head()
    fail_appends(container, monkeypatch, UNAVAILABLE[kind]())

    response = writes.post("/products", json=product_body(), headers=admin)

    assert_error(response, 503, "store_unavailable")
    assert response.headers["Retry-After"] == "1"
    assert head() == before
    monkeypatch.undo()  # the store is back
    retried = writes.post("/products", json=product_body(), headers=admin)
    assert retried.status_code == 201, retried.text


@pytest.mark.parametrize("kind", UNAVAILABLE)
def test_a_read_that_cannot_reach_its_view_is_503(
    writes, reads, container, admin, alice, project, monkeypatch, kind
):
    stocked_product(writes, admin, "MUG-1", 3)
    project()
    view = container.queries.lookups.stock.view

    def stock(sku: str) -> Any:
        raise UNAVAILABLE[kind]()

    monkeypatch.setattr(view, "stock", stock)
    response = reads.get("/inventory/MUG-1", headers=alice)

    assert_error(response, 503, "store_unavailable")
    assert response.headers["Retry-After"] == "1"
    monkeypatch.undo()
    assert reads.get("/inventory/MUG-1", headers=alice).json()["available"] == 3


@pytest.mark.parametrize("kind", NOT_ABOUT_THE_CONNECTION)
def test_other_failures_of_the_same_classes_are_still_500(
    writes, container, admin, head, monkeypatch, kind
):
    before = head()
    fail_appends(container, monkeypatch, NOT_ABOUT_THE_CONNECTION[kind]())

    response = writes.post("/products", json=product_body(), headers=admin)

    assert_error(response, 500, "internal_error")
    assert "Retry-After" not in response.headers
    assert head() == before


def test_the_openapi_document_describes_the_503(writes):
    described = writes.get("/openapi.json").json()["paths"]["/orders"]["post"]["responses"]

    assert "store_unavailable" in described["503"]["description"]
