"""POST /carrier/events: the carrier's signed webhook, without a bearer token."""

from __future__ import annotations

import pytest

from app.carriers import webhook_secret
from domain.shipment import DispatchShipment
from tests.api.factories import assert_error
from tests.api.fulfilment import carrier_report, delivered, labelled, ordered, signed


@pytest.fixture
def secret(container) -> str:
    return webhook_secret(container.settings)  # what the simulated carrier signs with


@pytest.fixture
def tracking(commands, admin, alice, container) -> str:
    order_id = ordered(commands, admin, alice)
    tracking = labelled(container, order_id)
    container.bus.handle(DispatchShipment(order_id, "admin:admin-1"))
    return tracking


def shipment_of(container, tracking: str):
    parcel = container.store.get(f"parcel-{tracking}")
    return container.store.get(parcel.shipment_id)


def post(client, body: bytes, headers: dict[str, str]):
    return client.post("/carrier/events", content=body, headers=headers)


def test_a_signed_report_moves_the_parcel_on(commands, container, head, secret, tracking):
    body = carrier_report(tracking, "IN_TRANSIT")

    response = post(commands, body, signed(body, secret))

    assert response.status_code == 202, response.text
    assert response.json() == {"position": head()}
    assert shipment_of(container, tracking).status == "IN_TRANSIT"


def test_delivered_records_when(commands, container, secret, tracking):
    body = carrier_report(tracking, "DELIVERED", occurred_at="2026-03-01T10:00:00+09:00")

    assert post(commands, body, signed(body, secret)).status_code == 202

    shipment = shipment_of(container, tracking)
    assert (shipment.status, shipment.delivered_at) == ("DELIVERED", "2026-03-01T10:00:00+09:00")


def test_a_bearer_token_is_not_needed_nor_enough(commands, admin, head, secret, tracking):
    body = carrier_report(tracking, "LOST")
    before = head()

    assert_error(post(commands, body, {**admin, "Content-Type": "application/json"}), 401)
    assert head() == before


def test_an_unsigned_report_is_401(commands, head, tracking):
    before = head()

    response = post(commands, carrier_report(tracking, "DELIVERED"), {})

    assert_error(response, 401, "invalid_signature")
    assert head() == before


@pytest.mark.parametrize(
    "header",
    ["sha256=" + "0" * 64, "sha256=", "md5=abc", "", "sha256=\xfcn\xefcode".encode("latin-1")],
)
def test_a_wrong_signature_is_401(commands, head, tracking, header):
    before = head()

    response = post(
        commands, carrier_report(tracking, "DELIVERED"), {"X-Carrier-Signature": header}
    )

    assert_error(response, 401, "invalid_signature")
    assert head() == before


def test_a_signature_with_another_key_is_401(commands, head, tracking):
    body = carrier_report(tracking, "DELIVERED")

    assert_error(post(commands, body, signed(body, "not-the-secret")), 401, "invalid_signature")


def test_a_tampered_body_is_401(commands, container, head, secret, tracking):
    body = carrier_report(tracking, "IN_TRANSIT")
    headers = signed(body, secret)
    before = head()

    response = post(commands, body.replace(b"IN_TRANSIT", b"LOST"), headers)

    assert_error(response, 401, "invalid_signature")
    assert head() == before
    assert shipment_of(container, tracking).status == "SHIPPED"


def test_a_replayed_event_id_is_202_and_records_nothing(
    commands, container, head, secret, tracking
):
    body = carrier_report(tracking, "IN_TRANSIT", event_id="ev-7")
    post(commands, body, signed(body, secret))
    version, before = shipment_of(container, tracking).version, head()

    again = post(commands, body, signed(body, secret))

    assert again.status_code == 202
    assert again.json() == {"position": before}
    assert (shipment_of(container, tracking).version, head()) == (version, before)


def test_a_late_in_transit_after_delivered_records_nothing(
    commands, admin, alice, container, head, secret
):
    tracking = delivered(container, ordered(commands, admin, alice))
    version, before = shipment_of(container, tracking).version, head()
    body = carrier_report(tracking, "IN_TRANSIT", event_id="ev-late")

    response = post(commands, body, signed(body, secret))

    assert response.status_code == 202
    assert shipment_of(container, tracking).status == "DELIVERED"
    assert (shipment_of(container, tracking).version, head()) == (version, before)


def test_an_unknown_tracking_number_is_404(commands, head, secret):
    body = carrier_report("TRK-NOPE", "DELIVERED")
    before = head()

    assert_error(post(commands, body, signed(body, secret)), 404, "unknown_tracking_number")
    assert head() == before


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "RETURNED"},
        {"event_id": ""},
        {"event_id": "has space"},
        {"event_id": "x" * 101},
        {"occurred_at": "yesterday"},
        {"occurred_at": "2026-03-01T10:00:00"},  # no UTC offset
        {"occurred_at": 1767225600},
        {"tracking_number": ""},
        {"extra": 1},
    ],
)
def test_a_malformed_report_is_422(commands, head, secret, tracking, changes):
    body = carrier_report(tracking, **({"status": "DELIVERED"} | changes))
    before = head()

    assert_error(post(commands, body, signed(body, secret)), 422, "invalid_request")
    assert head() == before


@pytest.mark.parametrize("body", [b"{", b"", b"\xff\xfe", b"[1, 2"])
def test_signed_bytes_that_are_not_json_are_400(commands, head, secret, body):
    before = head()

    assert_error(post(commands, body, signed(body, secret)), 400, "malformed_json")
    assert head() == before


@pytest.mark.parametrize("body", [b"[]", b"null", b'"text"', b"42"])
def test_json_that_is_not_an_object_is_422(commands, secret, body):
    assert_error(post(commands, body, signed(body, secret)), 422, "invalid_request")


def test_the_webhook_is_documented_without_a_bearer_token(commands):
    operation = commands.get("/openapi.json").json()["paths"]["/carrier/events"]["post"]

    assert "security" not in operation
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {"event_id", "tracking_number", "status", "occurred_at"}
