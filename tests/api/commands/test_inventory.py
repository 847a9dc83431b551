"""POST /inventory/{sku}/receipts and POST /inventory/{sku}/adjustments."""

from __future__ import annotations

import pytest

from tests.api.factories import assert_error, product_body


@pytest.fixture
def mug(commands, admin) -> None:
    assert commands.post("/products", json=product_body(), headers=admin).status_code == 201


def test_a_receipt_answers_202_with_its_position(commands, admin, container, head, mug):
    response = commands.post("/inventory/MUG-1/receipts", json={"quantity": 5}, headers=admin)

    assert response.status_code == 202
    assert response.json()["position"] == head()
    assert container.store.get("inventory-MUG-1").on_hand == 5


def test_a_receipt_for_an_unregistered_sku_is_404_and_writes_nothing(commands, admin, head):
    response = commands.post("/inventory/NOPE-1/receipts", json={"quantity": 5}, headers=admin)

    assert_error(response, 404, "unknown_product")
    assert head() == 0


@pytest.mark.parametrize("quantity", [0, -1, 1_000_001, "5", 2.5, None, True])
def test_a_bad_receipt_quantity_is_422(commands, admin, head, mug, quantity):
    before = head()

    response = commands.post(
        "/inventory/MUG-1/receipts", json={"quantity": quantity}, headers=admin
    )

    assert_error(response, 422, "invalid_request")
    assert head() == before


def test_an_adjustment_corrects_the_stock_on_hand(commands, admin, container, mug):
    commands.post("/inventory/MUG-1/receipts", json={"quantity": 5}, headers=admin)

    response = commands.post(
        "/inventory/MUG-1/adjustments", json={"delta": -2, "reason": "broken"}, headers=admin
    )

    assert response.status_code == 202
    assert container.store.get("inventory-MUG-1").on_hand == 3


def test_an_adjustment_below_zero_is_409_and_writes_nothing(commands, admin, head, mug):
    commands.post("/inventory/MUG-1/receipts", json={"quantity": 5}, headers=admin)
    before = head()

    response = commands.post(
        "/inventory/MUG-1/adjustments", json={"delta": -6, "reason": "count"}, headers=admin
    )

    assert_error(response, 409, "insufficient_stock")
    assert head() == before


def test_adjusting_a_sku_never_received_is_404(commands, admin, head, mug):
    before = head()

    response = commands.post(
        "/inventory/MUG-1/adjustments", json={"delta": 1, "reason": "found"}, headers=admin
    )

    assert_error(response, 404, "unknown_inventory_item")
    assert head() == before


@pytest.mark.parametrize(
    "body",
    [{"delta": 1}, {"delta": 1, "reason": ""}, {"delta": 1, "reason": " "},
     {"delta": "1", "reason": "x"}, {"delta": 1, "reason": "x", "extra": 1},
     {"delta": 10**7, "reason": "x"}],
)  # fmt: skip
def test_a_bad_adjustment_is_422(commands, admin, head, mug, body):
    before = head()

    assert_error(commands.post("/inventory/MUG-1/adjustments", json=body, headers=admin), 422)
    assert head() == before
