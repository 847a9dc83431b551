"""POST /shipments/{shipment_id}/dispatch and /address (admin)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain.shipment import OpenShipment, RefuseLabel
from tests.api.factories import assert_error
from tests.api.fulfilment import ADDRESS, labelled, ordered


@pytest.fixture
def order_id(commands, admin, alice) -> str:
    return ordered(commands, admin, alice)


@pytest.fixture
def on_hold(container, order_id) -> str:
    lines = (("MUG-1", 2),)
    container.bus.handle(OpenShipment(order_id, order_id, "alice", lines, dict(ADDRESS)))
    container.bus.handle(RefuseLabel(order_id, "undeliverable address"))
    return order_id


def address(**overrides: Any) -> dict[str, Any]:
    return {**ADDRESS, "postal_code": "04525"} | overrides


def test_an_admin_dispatches_a_labelled_shipment(commands, admin, container, head, order_id):
    labelled(container, order_id)

    response = commands.post(f"/shipments/{order_id}/dispatch", headers=admin)

    assert response.status_code == 202, response.text
    assert response.json() == {"shipment_id": order_id, "position": head()}
    shipment = container.store.get(f"shipment-{order_id}")
    assert shipment.status == "SHIPPED"
    assert response.headers["ETag"] == f'"{shipment.version}"'


def test_dispatching_again_answers_202_and_records_nothing(
    commands, admin, container, head, order_id
):
    labelled(container, order_id)
    commands.post(f"/shipments/{order_id}/dispatch", headers=admin)
    before = head()

    again = commands.post(f"/shipments/{order_id}/dispatch", headers=admin)

    assert again.status_code == 202
    assert head() == before


def test_a_shipment_without_a_label_is_409(commands, admin, head, on_hold):
    before = head()

    response = commands.post(f"/shipments/{on_hold}/dispatch", headers=admin)

    assert_error(response, 409, "shipment_not_labelled")
    assert head() == before


def test_cancelling_after_dispatch_is_409(commands, admin, alice, container, head, order_id):
    labelled(container, order_id)
    commands.post(f"/shipments/{order_id}/dispatch", headers=admin)
    before = head()

    response = commands.post(f"/orders/{order_id}/cancel", headers=alice)

    assert_error(response, 409, "order_already_shipped")
    assert head() == before


@pytest.mark.parametrize("action", ["dispatch", "address"])
def test_an_unknown_shipment_is_404(commands, admin, action):
    response = commands.post(f"/shipments/{uuid.uuid4()}/{action}", json=address(), headers=admin)

    assert_error(response, 404, "unknown_shipment")


@pytest.mark.parametrize("action", ["dispatch", "address"])
def test_customers_may_not_write_shipments(commands, alice, head, on_hold, action):
    before = head()

    response = commands.post(f"/shipments/{on_hold}/{action}", json=address(), headers=alice)

    assert_error(response, 403, "forbidden")
    assert head() == before


def test_a_held_shipment_gets_a_corrected_address(commands, admin, container, head, on_hold):
    response = commands.post(
        f"/shipments/{on_hold}/address", json=address(line2="Apt 3"), headers=admin
    )

    assert response.status_code == 202, response.text
    assert response.json() == {"shipment_id": on_hold, "position": head()}
    shipment = container.store.get(f"shipment-{on_hold}")
    assert (shipment.status, shipment.address) == ("READY", address(line2="Apt 3"))


def test_correcting_a_shipment_not_on_hold_is_409(commands, admin, container, head, order_id):
    labelled(container, order_id)
    before = head()

    response = commands.post(f"/shipments/{order_id}/address", json=address(), headers=admin)

    assert_error(response, 409, "shipment_not_on_hold")
    assert head() == before


@pytest.mark.parametrize(
    "body",
    [
        {},
        address(country="Korea"),
        address(country="kr"),
        address(name=""),
        address(postal_code=4525),
        address(floor="2"),
        {key: value for key, value in ADDRESS.items() if key != "city"},
    ],
)
def test_a_bad_address_is_422(commands, admin, head, on_hold, body):
    before = head()

    response = commands.post(f"/shipments/{on_hold}/address", json=body, headers=admin)

    assert_error(response, 422, "invalid_request")
    assert head() == before
