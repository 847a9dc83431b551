"""POST /orders/{order_id}/returns (owner, Idempotency-Key)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.shared import ids
from tests.api.factories import assert_error
from tests.api.fulfilment import ask, delivered, labelled, ordered, return_body


@pytest.fixture
def order_id(commands, admin, alice, container) -> str:
    placed = ordered(commands, admin, alice)
    delivered(container, placed)
    return placed


def test_the_owner_can_return_delivered_units(commands, alice, container, head, order_id):
    response = ask(commands, alice, order_id)

    assert response.status_code == 202, response.text
    body = response.json()
    assert body == {"return_id": body["return_id"], "status": "REQUESTED", "position": head()}
    assert body["return_id"] == ids.new_return_uuid(order_id, "ret-1")
    assert response.headers["Location"] == f"/returns/{body['return_id']}"
    ret = container.store.get(f"return-{body['return_id']}")
    assert (ret.kind, ret.quantities, ret.refund_amount) == ("refund", {"MUG-1": 1}, 12900)


def test_an_exchange_is_requested_the_same_way(commands, alice, container, order_id):
    body = ask(commands, alice, order_id, kind="exchange").json()

    assert container.store.get(f"return-{body['return_id']}").kind == "exchange"


def test_the_same_key_and_body_again_returns_the_same_return(commands, alice, head, order_id):
    first = ask(commands, alice, order_id)
    before = head()

    again = ask(commands, alice, order_id)

    assert again.status_code == 202
    assert again.json()["return_id"] == first.json()["return_id"]
    assert head() == before


def test_the_same_key_with_another_body_is_409(commands, alice, head, order_id):
    ask(commands, alice, order_id)
    before = head()

    assert_error(ask(commands, alice, order_id, quantity=2), 409, "idempotency_key_reused")
    assert head() == before


def test_without_an_idempotency_key_it_is_400(commands, alice, head, order_id):
    before = head()

    response = commands.post(f"/orders/{order_id}/returns", json=return_body(), headers=alice)

    assert_error(response, 400, "invalid_header")
    assert head() == before


def test_another_customers_order_is_404(commands, bob, head, order_id):
    before = head()

    assert_error(ask(commands, bob, order_id), 404, "unknown_order")
    assert head() == before


def test_an_admin_may_ask_for_any_order(commands, admin, order_id):
    assert ask(commands, admin, order_id).status_code == 202


def test_an_unknown_order_is_404(commands, alice):
    assert_error(ask(commands, alice, str(uuid.uuid4())), 404, "unknown_order")


def test_an_order_not_delivered_is_409(commands, admin, alice, container, head):
    order_id = ordered(commands, admin, alice)
    labelled(container, order_id)
    before = head()

    assert_error(ask(commands, alice, order_id), 409, "return_not_allowed")
    assert head() == before


def test_after_the_return_window_it_is_409(commands, admin, alice, container, head):
    order_id = ordered(commands, admin, alice)
    delivered(container, order_id, at=datetime.now(UTC) - timedelta(days=31))
    before = head()

    assert_error(ask(commands, alice, order_id), 409, "return_not_allowed")
    assert head() == before


@pytest.mark.parametrize("body", [{"quantity": 3}, {"lines": [{"sku": "TEA-1", "quantity": 1}]}])
def test_units_that_were_not_delivered_are_409(commands, alice, head, order_id, body):
    before = head()

    assert_error(ask(commands, alice, order_id, **body), 409, "return_not_allowed")
    assert head() == before


def test_units_already_returned_cannot_be_asked_for_again(commands, alice, order_id):
    assert ask(commands, alice, order_id, key="a", quantity=2).status_code == 202

    assert_error(ask(commands, alice, order_id, key="b"), 409, "return_not_allowed")


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "gift"},
        {"quantity": 0},
        {"quantity": "1"},
        {"lines": []},
        {"reason": ""},
        {"reason": "x" * 501},
        {"extra": True},
    ],
)
def test_bad_bodies_are_422(commands, alice, head, order_id, body):
    before = head()

    assert_error(ask(commands, alice, order_id, **body), 422, "invalid_request")
    assert head() == before


def test_malformed_json_is_400(commands, alice, head, order_id):
    headers = {**alice, "Idempotency-Key": "k", "Content-Type": "application/json"}
    response = commands.post(f"/orders/{order_id}/returns", content=b"{", headers=headers)

    assert_error(response, 400, "malformed_json")
