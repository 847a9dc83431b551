"""POST /orders (Idempotency-Key) and POST /orders/{order_id}/cancel."""

from __future__ import annotations

import uuid

import pytest

from domain.order import CancelOrder
from tests.api.factories import assert_error, coupon_body, order_body, place, stocked_product


@pytest.fixture
def mug(commands, admin) -> None:
    stocked_product(commands, admin)


def test_placing_an_order_is_202_pending_with_its_position(commands, alice, container, head, mug):
    response = place(commands, alice)

    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "PENDING"
    assert body["position"] == head()
    assert response.headers["Location"] == f"/orders/{body['order_id']}"
    order = container.store.get(f"order-{body['order_id']}")
    assert (order.customer_id, order.total) == ("alice", 2 * 12900)


def test_an_order_with_a_coupon_is_discounted(commands, admin, alice, container, mug):
    commands.post("/coupons", json=coupon_body(), headers=admin)

    body = place(commands, alice, coupon_code="SPRING10").json()

    assert container.store.get(f"order-{body['order_id']}").discount == 2580


def test_without_an_idempotency_key_it_is_400(commands, alice, head, mug):
    before = head()

    response = commands.post("/orders", json=order_body(), headers=alice)

    assert_error(response, 400, "invalid_header")
    assert head() == before


@pytest.mark.parametrize("key", ["", "x" * 101, "has space"])
def test_a_malformed_idempotency_key_is_400(commands, alice, head, mug, key):
    before = head()

    assert_error(place(commands, alice, key=key), 400, "invalid_header")
    assert head() == before


def test_the_same_key_and_body_again_returns_the_original_answer(commands, alice, head, mug):
    first = place(commands, alice)
    before = head()

    again = place(commands, alice)

    assert again.status_code == 202
    assert again.json() == first.json()
    assert head() == before


def test_the_same_key_with_another_body_is_409(commands, alice, head, mug):
    place(commands, alice)
    before = head()

    response = place(commands, alice, quantity=3)

    assert_error(response, 409, "idempotency_key_reused")
    assert head() == before


def test_keys_are_scoped_per_customer(commands, alice, bob, mug):
    mine, theirs = place(commands, alice).json(), place(commands, bob).json()

    assert mine["order_id"] != theirs["order_id"]


def test_an_admin_cannot_place_orders(commands, admin, mug):
    assert_error(place(commands, admin), 403, "forbidden")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"sku": "NOPE-1"}, 404, "unknown_product"),
        ({"coupon_code": "NOPE"}, 404, "unknown_coupon"),
        ({"quantity": 0}, 422, "invalid_request"),
        ({"quantity": -1}, 422, "invalid_request"),
        ({"quantity": 1001}, 422, "invalid_request"),
        ({"quantity": 10**30}, 422, "invalid_request"),
        ({"quantity": "2"}, 422, "invalid_request"),
        ({"lines": []}, 422, "invalid_request"),
        ({"lines": [{"sku": f"S-{i}", "quantity": 1} for i in range(51)]}, 422, "invalid_request"),
        ({"lines": [{"sku": "MUG-1", "quantity": 1, "price": 1}]}, 422, "invalid_request"),
        ({"payment": {}}, 422, "invalid_request"),
        ({"payment": "tok_ok"}, 422, "invalid_request"),
        ({"total": 1}, 422, "invalid_request"),
        ({"shipping_address": {"street": 5}}, 422, "invalid_request"),
        ({"lines": [{"sku": "MUG-1", "quantity": 600}] * 2}, 422, "invalid_input"),
    ],
)
def test_bad_orders_are_4xx_and_write_nothing(commands, alice, head, mug, body, status, code):
    before = head()

    response = place(commands, alice, **body)

    assert_error(response, status, code)
    assert head() == before


def test_malformed_json_is_400(commands, alice, head, mug):
    headers = {**alice, "Idempotency-Key": "k", "Content-Type": "application/json"}
    before = head()

    assert_error(commands.post("/orders", content=b"[{", headers=headers), 400, "malformed_json")
    assert head() == before


def test_an_expired_coupon_is_409(commands, admin, alice, head, mug):
    expired = coupon_body(valid_from="2020-01-01T00:00:00Z", valid_until="2021-01-01T00:00:00Z")
    commands.post("/coupons", json=expired, headers=admin)
    before = head()

    assert_error(place(commands, alice, coupon_code="SPRING10"), 409, "coupon_not_applicable")
    assert head() == before


def test_a_discontinued_product_cannot_be_ordered(commands, admin, alice, head, mug):
    commands.post("/products/MUG-1/discontinue", headers=admin)
    before = head()

    assert_error(place(commands, alice), 409, "product_discontinued")
    assert head() == before


def test_the_owner_can_ask_to_cancel(commands, alice, container, mug):
    order_id = place(commands, alice).json()["order_id"]

    response = commands.post(f"/orders/{order_id}/cancel", headers=alice)

    assert response.status_code == 202
    assert response.json()["order_id"] == order_id
    assert container.store.get(f"order-{order_id}").cancellation_requested_by == "customer:alice"


def test_an_admin_can_ask_to_cancel_any_order(commands, admin, alice, mug):
    order_id = place(commands, alice).json()["order_id"]

    assert commands.post(f"/orders/{order_id}/cancel", headers=admin).status_code == 202


def test_another_customers_order_is_404_and_untouched(commands, alice, bob, head, mug):
    order_id = place(commands, alice).json()["order_id"]
    before = head()

    assert_error(commands.post(f"/orders/{order_id}/cancel", headers=bob), 404, "unknown_order")
    assert head() == before


def test_cancelling_an_unknown_order_is_404(commands, alice):
    assert_error(commands.post(f"/orders/{uuid.uuid4()}/cancel", headers=alice), 404)


def test_cancelling_a_malformed_order_id_is_422(commands, alice):
    assert_error(commands.post("/orders/not-a-uuid/cancel", headers=alice), 422)


def test_cancelling_a_cancelled_order_is_409(commands, alice, container, head, mug):
    order_id = place(commands, alice).json()["order_id"]
    container.bus.handle(CancelOrder(order_id, "OUT_OF_STOCK"))
    before = head()

    response = commands.post(f"/orders/{order_id}/cancel", headers=alice)

    assert_error(response, 409, "order_already_cancelled")
    assert head() == before


def test_a_cancel_retried_after_the_order_was_cancelled_answers_202(
    commands, alice, container, head, mug
):
    order_id = place(commands, alice).json()["order_id"]
    first = commands.post(f"/orders/{order_id}/cancel", headers=alice)
    container.bus.handle(CancelOrder(order_id, "CUSTOMER_REQUEST"))  # what the checkout does
    before = head()

    again = commands.post(f"/orders/{order_id}/cancel", headers=alice)

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["position"] == before == head()
