"""Sign-up, my account and its PATCH over HTTP (SQLite and PostgreSQL)."""

from __future__ import annotations

from tests.api.factories import assert_error

HOME = {"name": "Ann Lee", "line1": "1 Main St", "city": "Seoul", "postal_code": "04524",
        "country": "KR"}  # fmt: skip
WORK = {**HOME, "line1": "9 Side St", "line2": "Floor 3"}


def test_sign_up_answers_201_with_the_new_customer_id(sign_up, head):
    answer = sign_up("ann@example.com")

    assert answer.status_code == 201
    assert answer.json()["position"] == head()
    assert answer.headers["Location"] == f"/customers/{answer.json()['customer_id']}"


def test_the_same_email_again_is_409_email_taken_whatever_its_case(sign_up, head):
    sign_up("ann@example.com")
    before = head()

    assert_error(sign_up(" ANN@example.com", name="Other"), 409, "email_taken")
    assert head() == before


def test_a_short_password_is_422_and_records_nothing(sign_up, head):
    assert_error(sign_up("ann@example.com", password="123456789"), 422)
    assert head() == 0


def test_a_repeat_with_the_same_key_answers_the_same_account(sign_up, head):
    first = sign_up("ann@example.com", key="k-1")
    before = head()

    again = sign_up("ann@example.com", key="k-1")

    assert again.status_code == 201
    assert again.json()["customer_id"] == first.json()["customer_id"]
    assert head() == before
    assert_error(sign_up("bo@example.com", key="k-1"), 409, "idempotency_key_reused")


def test_sign_up_needs_no_token_and_the_profile_writes_do(commands):
    paths = commands.app.openapi()["paths"]

    assert "security" not in paths["/customers"]["post"]
    assert paths["/customers/me"]["patch"]["security"]
    assert paths["/customers/{customer_id}/erase"]["post"]["security"]
    assert_error(commands.patch("/customers/me", json={"name": "X"}), 401)


def test_me_shows_my_email_name_and_addresses(customer, queries):
    customer_id, token = customer("ann@example.com")

    me = queries.get("/customers/me", headers=token).json()

    assert me["customer_id"] == customer_id
    assert (me["email"], me["name"], me["status"], me["addresses"]) == (
        "ann@example.com", "Ann Lee", "ACTIVE", [],
    )  # fmt: skip


def test_patch_changes_the_name_and_replaces_the_addresses(customer, commands, queries):
    _, token = customer("ann@example.com")
    commands.patch("/customers/me", json={"addresses": [HOME]}, headers=token)

    answer = commands.patch(
        "/customers/me", json={"name": "Ann Park", "addresses": [WORK]}, headers=token
    )

    assert answer.status_code == 202
    me = queries.get("/customers/me", headers=token).json()
    assert me["name"] == "Ann Park"
    assert [{k: v for k, v in a.items() if k != "address_id"} for a in me["addresses"]] == [WORK]


def test_patch_leaves_out_what_it_does_not_name(customer, commands, queries):
    _, token = customer("ann@example.com")
    commands.patch("/customers/me", json={"addresses": [HOME]}, headers=token)

    commands.patch("/customers/me", json={"name": "Ann Park"}, headers=token)

    assert len(queries.get("/customers/me", headers=token).json()["addresses"]) == 1


def test_a_bad_address_is_422(customer, commands, head):
    _, token = customer("ann@example.com")
    before = head()

    bad = {**HOME, "country": "Korea"}
    assert_error(commands.patch("/customers/me", json={"addresses": [bad]}, headers=token), 422)
    assert head() == before


def test_a_token_without_an_account_is_404(queries, commands, alice):
    assert_error(queries.get("/customers/me", headers=alice), 404, "unknown_customer")
    assert_error(commands.patch("/customers/me", json={"name": "A"}, headers=alice), 404)


def test_an_admin_has_no_me(queries, admin):
    assert_error(queries.get("/customers/me", headers=admin), 403)
