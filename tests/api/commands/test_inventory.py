"""POST /inventory/{sku}/receipts and POST /inventory/{sku}/adjustments."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from api.deps import CommandSender
from domain.inventory import ReceiveStock
from domain.product import RegisterProduct
from domain.shared.base import ConcurrencyConflict
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
    [
        {"delta": 1},
        {"delta": 1, "reason": ""},
        {"delta": 1, "reason": " "},
        {"delta": "1", "reason": "x"},
        {"delta": 1, "reason": "x", "extra": 1},
        {"delta": 10**7, "reason": "x"},
    ],
)
def test_a_bad_adjustment_is_422(commands, admin, head, mug, body):
    before = head()

    assert_error(commands.post("/inventory/MUG-1/adjustments", json=body, headers=admin), 422)
    assert head() == before


def receipt(client, admin, quantity=5, key=None, if_match=None):  # noqa: ANN001, ANN201
    headers = dict(admin)
    if key is not None:
        headers["Idempotency-Key"] = key
    if if_match is not None:
        headers["If-Match"] = if_match
    return client.post("/inventory/MUG-1/receipts", json={"quantity": quantity}, headers=headers)


def test_a_receipt_retried_with_its_key_counts_once(commands, admin, container, head, mug):
    first = receipt(commands, admin, key="rcv-1")
    receipt(commands, admin, 2)  # another receipt in between
    before = head()

    again = receipt(commands, admin, key="rcv-1")

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json() | {"changed": False, "position": before}
    assert again.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert head() == before
    assert container.store.get("inventory-MUG-1").on_hand == 7


def test_the_same_key_with_another_body_is_409_and_writes_nothing(commands, admin, head, mug):
    receipt(commands, admin, key="rcv-1")
    before = head()

    assert_error(receipt(commands, admin, 6, key="rcv-1"), 409, "idempotency_key_reused")
    assert head() == before


def test_receipts_without_a_key_each_count(commands, admin, container, mug):
    receipt(commands, admin)
    receipt(commands, admin)

    assert container.store.get("inventory-MUG-1").on_hand == 10


def test_a_key_is_scoped_to_its_caller_and_route(commands, admin, codec, container, mug):
    from tests.api.conftest import bearer

    other_admin = bearer(codec, "admin", "admin-2")
    receipt(commands, admin, key="k")
    receipt(commands, other_admin, key="k")
    adjusted = commands.post(
        "/inventory/MUG-1/adjustments",
        json={"delta": -1, "reason": "broken"},
        headers={**admin, "Idempotency-Key": "k"},
    )

    assert adjusted.status_code == 202
    assert container.store.get("inventory-MUG-1").on_hand == 9


def test_an_adjustment_retried_with_its_key_applies_once(commands, admin, container, head, mug):
    receipt(commands, admin)
    headers = {**admin, "Idempotency-Key": "adj-1"}
    body = {"delta": -5, "reason": "water damage"}
    first = commands.post("/inventory/MUG-1/adjustments", json=body, headers=headers)
    before = head()

    again = commands.post("/inventory/MUG-1/adjustments", json=body, headers=headers)
    other = commands.post(
        "/inventory/MUG-1/adjustments", json=body | {"delta": -4}, headers=headers
    )

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json() == first.json() | {"changed": False, "position": before}
    assert_error(other, 409, "idempotency_key_reused")
    assert head() == before
    assert container.store.get("inventory-MUG-1").on_hand == 0


def test_a_stale_if_match_is_412_and_writes_nothing(commands, admin, container, head, mug):
    receipt(commands, admin)  # version 1
    before = head()

    stale = receipt(commands, admin, if_match='"0"')
    adjusted = commands.post(
        "/inventory/MUG-1/adjustments",
        json={"delta": 1, "reason": "found"},
        headers={**admin, "If-Match": '"2"'},
    )

    assert_error(stale, 412, "version_mismatch")
    assert_error(adjusted, 412, "version_mismatch")
    assert head() == before
    assert container.store.get("inventory-MUG-1").on_hand == 5


def test_a_current_if_match_lets_the_receipt_through(commands, admin, container, mug):
    receipt(commands, admin)

    response = receipt(commands, admin, if_match='"1"')

    assert response.status_code == 202
    assert response.headers["ETag"] == '"2"'
    assert container.store.get("inventory-MUG-1").on_hand == 10


def test_a_retry_after_its_first_write_moved_the_version_still_answers_202(
    commands, admin, container, mug
):
    receipt(commands, admin)
    first = receipt(commands, admin, key="rcv-1", if_match='"1"')

    again = receipt(commands, admin, key="rcv-1", if_match='"1"')

    assert (first.status_code, again.status_code) == (202, 202)
    assert again.json()["version"] == first.json()["version"] == 2
    assert container.store.get("inventory-MUG-1").on_hand == 10


def test_twenty_concurrent_receipts_with_one_key_count_once(commands, admin, container, mug):
    # Commands on the thread pool, so the twenty really race for the stream.
    commands.app.state.commands = CommandSender(container.bus, inline=False)
    receipt(commands, admin, 1)  # the stream exists: the race is on appending to it

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(lambda _: receipt(commands, admin, 5, key="rcv-1"), range(20)))

    assert [a.status_code for a in answers] == [202] * 20, [a.text for a in answers]
    assert sum(a.json()["changed"] for a in answers) == 1
    assert {a.json()["version"] for a in answers} == {2}
    assert container.store.get("inventory-MUG-1").on_hand == 6


def test_concurrent_first_receipts_with_one_key_start_the_stream_once(container):
    container.bus.handle(RegisterProduct("MUG-1", "Mug", "", "kitchen", "Acme", 100, "KRW", {}))
    sender = CommandSender(container.bus, inline=False)
    command = ReceiveStock("MUG-1", 5, request_id="r1")

    async def race() -> list[Any]:
        return list(await asyncio.gather(*(sender.handle(command) for _ in range(20))))

    answers = asyncio.run(race())

    assert sum(a.changed for a in answers) == 1
    assert {(a.stream_id, a.version) for a in answers} == {("inventory-MUG-1", 1)}
    assert container.store.get("inventory-MUG-1").on_hand == 5


def test_a_command_that_loses_every_race_is_409(container):
    class AlwaysLoses:
        calls = 0

        def handle(self, command: object) -> None:
            self.calls += 1
            raise ConcurrencyConflict("lost")

    bus = AlwaysLoses()

    with pytest.raises(ConcurrencyConflict):
        asyncio.run(CommandSender(bus, inline=True).handle(object()))
    assert bus.calls == CommandSender.attempts
