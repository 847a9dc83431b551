"""POST /coupons and POST /coupons/{code}/disable."""

from __future__ import annotations

import pytest

from tests.api.factories import assert_error, coupon_body


def test_defining_a_coupon_answers_201_with_location(commands, admin, container, head):
    body = coupon_body(
        valid_from="2026-01-01T00:00:00Z",
        valid_until="2030-01-01T00:00:00+09:00",
        min_order_total=10000,
        max_redemptions=100,
        per_customer_limit=1,
    )

    response = commands.post("/coupons", json=body, headers=admin)

    assert response.status_code == 201
    assert response.headers["Location"] == "/coupons/SPRING10"
    assert response.json()["position"] == head()
    coupon = container.store.get("coupon-SPRING10")
    assert (coupon.kind, coupon.value, coupon.per_customer_limit) == ("percent", 10, 1)


def test_a_fixed_coupon_takes_a_currency(commands, admin, container):
    body = coupon_body("FLAT5", kind="fixed", value=5000, currency="KRW")

    assert commands.post("/coupons", json=body, headers=admin).status_code == 201
    assert container.store.get("coupon-FLAT5").currency == "KRW"


def test_defining_a_code_again_with_other_rules_is_409(commands, admin, head):
    commands.post("/coupons", json=coupon_body(), headers=admin)
    before = head()

    assert_error(
        commands.post("/coupons", json=coupon_body(value=20), headers=admin),
        409,
        "coupon_already_defined",
    )
    assert head() == before


def test_a_repeated_definition_answers_201_as_the_first_time(commands, admin, head):
    headers = {**admin, "Idempotency-Key": "def-1"}
    body = coupon_body(
        kind="fixed", value=5000, currency="KRW", valid_until="2030-01-01T00:00:00+09:00"
    )
    first = commands.post("/coupons", json=body, headers=headers)
    commands.post("/coupons/SPRING10/disable", headers=admin)
    before = head()

    again = commands.post("/coupons", json=body, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() | {"changed": False, "position": before}
    assert again.headers["Location"] == first.headers["Location"]
    assert head() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"kind": "bogus"},
        {"value": 0},
        {"value": "10"},
        {"code": "bad code"},
        {"code": ""},
        {"valid_until": "2030-01-01T00:00:00"},
        {"valid_until": "not a date"},
        {"valid_from": 1.1754943508222875e-38},
        {"valid_until": 1893456000},
        {"max_redemptions": 0},
        {"min_order_total": -1},
        {"currency": "KRW"},
        {"extra": True},
        {"value": 101},
        {"kind": "fixed", "currency": "usd"},
        {"kind": None},
    ],
)
def test_bad_coupon_bodies_are_422_in_the_error_shape(commands, admin, head, overrides):
    assert_error(
        commands.post("/coupons", json=coupon_body(**overrides), headers=admin),
        422,
        "invalid_request",
    )
    assert head() == 0


def test_rules_the_domain_checks_are_422_too(commands, admin, head):
    body = coupon_body(valid_from="2030-01-01T00:00:00Z", valid_until="2029-01-01T00:00:00Z")

    assert_error(commands.post("/coupons", json=body, headers=admin), 422, "invalid_input")
    assert head() == 0


def test_disabling_is_202_and_a_repeat_changes_nothing(commands, admin, container, head):
    commands.post("/coupons", json=coupon_body(), headers=admin)

    first = commands.post("/coupons/SPRING10/disable", headers=admin)
    again = commands.post("/coupons/SPRING10/disable", headers=admin)

    assert (first.status_code, again.status_code) == (202, 202)
    assert (first.json()["changed"], again.json()["changed"]) == (True, False)
    assert again.json()["version"] == first.json()["version"]
    assert again.json()["position"] == head() == first.json()["position"]
    assert container.store.get("coupon-SPRING10").is_disabled


def test_disabling_with_a_stale_if_match_is_412_and_writes_nothing(commands, admin, head):
    commands.post("/coupons", json=coupon_body(), headers=admin)
    before = head()

    response = commands.post("/coupons/SPRING10/disable", headers={**admin, "If-Match": '"1"'})

    assert_error(response, 412, "version_mismatch")
    assert head() == before


def test_disabling_with_the_current_if_match_disables(commands, admin, container):
    commands.post("/coupons", json=coupon_body(), headers=admin)

    response = commands.post("/coupons/SPRING10/disable", headers={**admin, "If-Match": '"0"'})

    assert response.status_code == 202
    assert response.headers["ETag"] == '"1"'
    assert container.store.get("coupon-SPRING10").is_disabled


def test_a_malformed_idempotency_key_is_400(commands, admin, head):
    headers = {**admin, "Idempotency-Key": "x" * 101}

    assert_error(
        commands.post("/coupons", json=coupon_body(), headers=headers), 400, "invalid_header"
    )
    assert head() == 0


def test_disabling_an_unknown_code_is_404(commands, admin):
    assert_error(commands.post("/coupons/NOPE/disable", headers=admin), 404, "unknown_coupon")
