"""POST /returns/{return_id}/approve, /reject and /receive (admin)."""

from __future__ import annotations

import uuid

import pytest

from tests.api.factories import assert_error
from tests.api.fulfilment import ask, delivered, ordered


@pytest.fixture
def return_id(commands, admin, alice, container) -> str:
    """A return of one of two delivered mugs, requested by alice."""
    order_id = ordered(commands, admin, alice)
    delivered(container, order_id)
    return str(ask(commands, alice, order_id).json()["return_id"])


def test_an_admin_approves_a_return(commands, admin, container, head, return_id):
    response = commands.post(f"/returns/{return_id}/approve", headers=admin)

    assert response.status_code == 202
    assert response.json() == {"return_id": return_id, "position": head()}
    assert container.store.get(f"return-{return_id}").status == "APPROVED"


def test_approving_again_answers_202_and_records_nothing(commands, admin, head, return_id):
    commands.post(f"/returns/{return_id}/approve", headers=admin)
    before = head()

    again = commands.post(f"/returns/{return_id}/approve", headers=admin)

    assert again.status_code == 202
    assert head() == before


def test_an_admin_rejects_a_return(commands, admin, container, return_id):
    response = commands.post(f"/returns/{return_id}/reject", json={"reason": "worn"}, headers=admin)

    assert response.status_code == 202
    assert container.store.get(f"return-{return_id}").status == "REJECTED"


def test_a_rejected_return_frees_its_units(commands, admin, alice, container, return_id):
    order_id = container.store.get(f"return-{return_id}").order_id
    commands.post(f"/returns/{return_id}/reject", json={"reason": "worn"}, headers=admin)

    assert ask(commands, alice, order_id, key="ret-2", quantity=2).status_code == 202


def test_rejecting_an_approved_return_is_409(commands, admin, head, return_id):
    commands.post(f"/returns/{return_id}/approve", headers=admin)
    before = head()

    response = commands.post(f"/returns/{return_id}/reject", json={"reason": "x"}, headers=admin)

    assert_error(response, 409, "return_already_decided")
    assert head() == before


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": 5}])
def test_a_rejection_needs_a_reason(commands, admin, return_id, body):
    response = commands.post(f"/returns/{return_id}/reject", json=body, headers=admin)

    assert_error(response, 422, "invalid_request")


def test_receiving_an_approved_return(commands, admin, container, return_id):
    commands.post(f"/returns/{return_id}/approve", headers=admin)

    response = commands.post(f"/returns/{return_id}/receive", headers=admin)

    assert response.status_code == 202
    assert container.store.get(f"return-{return_id}").status == "RECEIVED"


def test_receiving_a_return_not_approved_is_409(commands, admin, head, return_id):
    before = head()

    response = commands.post(f"/returns/{return_id}/receive", headers=admin)

    assert_error(response, 409, "return_not_approved")
    assert head() == before


@pytest.mark.parametrize("action", ["approve", "receive"])
def test_an_unknown_return_is_404(commands, admin, action):
    response = commands.post(f"/returns/{uuid.uuid4()}/{action}", headers=admin)

    assert_error(response, 404, "unknown_return")


def test_a_malformed_return_id_is_422(commands, admin):
    assert_error(commands.post("/returns/nope/approve", headers=admin), 422)


@pytest.mark.parametrize("action", ["approve", "reject", "receive"])
def test_customers_may_not_decide_returns(commands, alice, head, return_id, action):
    before = head()

    response = commands.post(f"/returns/{return_id}/{action}", json={"reason": "x"}, headers=alice)

    assert_error(response, 403, "forbidden")
    assert head() == before


def test_decisions_need_a_token(commands, return_id):
    assert_error(commands.post(f"/returns/{return_id}/approve"), 401, "unauthorized")
