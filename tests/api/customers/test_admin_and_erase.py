"""The admin's accounts list and lookup, and erasure, over HTTP (SQLite and PostgreSQL).

Erasure leaves the account as a fact: `GET /customers/me` answers 200 with status
`ERASED` and null email and name, not 404 (see api/routers/queries/customers.py).
"""

from __future__ import annotations

from tests.api.factories import assert_error

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def test_the_admin_lists_accounts_newest_first_with_email_and_name(
    customer, queries, admin, project
):
    ann, _ = customer("ann@example.com")
    bo, _ = customer("bo@example.com")
    project()

    page = queries.get("/customers?size=1", headers=admin).json()

    assert page["total"] == 2
    [item] = page["items"]
    assert (item["customer_id"], item["email"], item["name"], item["status"]) == (
        bo, "bo@example.com", "Ann Lee", "ACTIVE",
    )  # fmt: skip
    second = queries.get("/customers?size=1&page=2", headers=admin).json()
    assert [i["customer_id"] for i in second["items"]] == [ann]


def test_the_admin_looks_one_account_up_and_an_unknown_one_is_404(customer, queries, admin):
    ann, _ = customer("ann@example.com")

    found = queries.get(f"/customers/{ann}", headers=admin).json()

    assert (found["email"], found["status"]) == ("ann@example.com", "ACTIVE")
    assert_error(queries.get(f"/customers/{UNKNOWN}", headers=admin), 404, "unknown_customer")


def test_customers_may_not_list_or_look_up_accounts(customer, queries):
    ann, token = customer("ann@example.com")

    assert_error(queries.get("/customers", headers=token), 403)
    assert_error(queries.get(f"/customers/{ann}", headers=token), 403)


def test_a_customer_erases_themselves_and_a_repeat_is_202_recording_nothing(
    customer, commands, queries, head
):
    ann, token = customer("ann@example.com")

    assert commands.post(f"/customers/{ann}/erase", headers=token).status_code == 202
    after = head()
    assert commands.post(f"/customers/{ann}/erase", headers=token).status_code == 202

    assert head() == after
    me = queries.get("/customers/me", headers=token).json()
    assert (me["status"], me["email"], me["name"], me["addresses"]) == ("ERASED", None, None, [])
    assert_error(commands.patch("/customers/me", json={"name": "A"}, headers=token), 409)


def test_after_erasure_the_email_signs_up_again_as_a_new_account(customer, commands, admin):
    ann, _ = customer("ann@example.com")
    commands.post(f"/customers/{ann}/erase", headers=admin)

    again, _ = customer("ann@example.com")

    assert again != ann


def test_the_admin_list_shows_an_erased_account_without_email_or_name(
    customer, commands, queries, admin, project
):
    ann, _ = customer("ann@example.com")
    commands.post(f"/customers/{ann}/erase", headers=admin)
    project()

    page = queries.get("/customers", headers=admin).json()

    assert [(i["status"], i["email"], i["name"]) for i in page["items"]] == [("ERASED", None, None)]


def test_another_customer_may_not_erase_an_account(customer, commands, head):
    ann, _ = customer("ann@example.com")
    _, bo = customer("bo@example.com")
    before = head()

    assert_error(commands.post(f"/customers/{ann}/erase", headers=bo), 403, "forbidden")
    assert head() == before


def test_erasing_an_unknown_account_is_404(commands, admin):
    assert_error(commands.post(f"/customers/{UNKNOWN}/erase", headers=admin), 404)
