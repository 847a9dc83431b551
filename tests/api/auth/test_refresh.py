"""POST /auth/refresh: each refresh token works once; a reuse revokes the whole login."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import jwt

from commands.sessions import RefreshFamilies, RefreshRefused
from domain.customer import EraseCustomer
from tests.api.auth.conftest import log_in, sign_up
from tests.api.conftest import SECRET
from tests.api.factories import assert_error


def refresh(commands, token: str):
    return commands.post("/auth/refresh", json={"refresh_token": token})


def test_a_refresh_token_gets_a_new_pair(commands, container):
    customer_id = sign_up(container, "ada@example.com")
    first = log_in(commands, "ada@example.com").json()

    response = refresh(commands, first["refresh_token"])

    assert response.status_code == 200, response.text
    second = response.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["refresh_token"].split(".")[0] == first["refresh_token"].split(".")[0]
    assert jwt.decode(second["access_token"], SECRET, ["HS256"])["sub"] == customer_id
    assert refresh(commands, second["refresh_token"]).status_code == 200


def test_a_reused_token_is_401_and_revokes_the_login(commands, container):
    sign_up(container, "ada@example.com")
    stolen = log_in(commands, "ada@example.com").json()["refresh_token"]
    newest = refresh(commands, stolen).json()["refresh_token"]

    assert_error(refresh(commands, stolen), 401, "invalid_refresh_token")

    assert_error(refresh(commands, newest), 401, "invalid_refresh_token")


def test_a_revoked_login_leaves_the_customers_other_logins_alone(commands, container):
    sign_up(container, "ada@example.com")
    phone = log_in(commands, "ada@example.com").json()["refresh_token"]
    laptop = log_in(commands, "ada@example.com").json()["refresh_token"]
    refresh(commands, phone)
    refresh(commands, phone)  # reuse: the phone's login is revoked

    assert refresh(commands, laptop).status_code == 200


def test_concurrent_refreshes_with_one_token_succeed_once(commands, container):
    sign_up(container, "ada@example.com")
    token = log_in(commands, "ada@example.com").json()["refresh_token"]
    logins = commands.app.state.logins
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def attempt() -> None:
        start.wait()
        try:
            logins.refresh(token)
            outcomes.append("ok")
        except RefreshRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["ok"] + ["refused"] * 7


def test_an_erased_customer_cannot_refresh(commands, container):
    customer_id = sign_up(container, "ada@example.com")
    token = log_in(commands, "ada@example.com").json()["refresh_token"]

    container.bus.handle(EraseCustomer(customer_id))

    assert_error(refresh(commands, token), 401, "invalid_refresh_token")


def test_unknown_and_malformed_tokens_are_401(commands):
    for token in ("no-dot", "a.b", "0123456789abcdef0123456789abcdef.secret", ".x", "x."):
        assert_error(refresh(commands, token), 401, "invalid_refresh_token")


def test_a_login_ends_at_its_lifetime_however_often_refreshed(container):
    now = [datetime(2026, 1, 1, tzinfo=UTC)]
    families = RefreshFamilies(container.read_models.dead_letters.engine, lambda: now[0], 3600)
    families.create_tables()
    token = families.start("ada")
    for _ in range(3):
        now[0] += timedelta(minutes=15)
        token = families.rotate(token).refresh_token

    now[0] += timedelta(minutes=16)

    try:
        families.rotate(token)
        raise AssertionError("an expired login was refreshed")
    except RefreshRefused:
        pass
