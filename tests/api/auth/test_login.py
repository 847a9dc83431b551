"""POST /auth/token: a pair for the right password, one 401 for every wrong answer, 429 after
SHOP_LOGIN_MAX_FAILURES failures."""

from __future__ import annotations

import jwt

from adapters.passwords import Argon2Passwords
from commands.customer import credentials_for, rehash_password
from domain.customer import EraseCustomer
from tests.api.auth.conftest import MAX_FAILURES, PASSWORD, log_in, sign_up
from tests.api.conftest import SECRET
from tests.api.factories import assert_error


def test_the_right_password_gets_an_access_and_a_refresh_token(commands, queries, container):
    customer_id = sign_up(container, "ada@example.com")

    response = log_in(commands, "Ada@Example.com ")

    assert response.status_code == 200, response.text
    pair = response.json()
    assert pair["token_type"] == "bearer"
    assert pair["expires_in"] == container.settings.access_token_ttl_s
    claims = jwt.decode(pair["access_token"], SECRET, ["HS256"])
    assert (claims["sub"], claims["role"]) == (customer_id, "customer")
    assert claims["exp"] - claims["iat"] == container.settings.access_token_ttl_s
    assert pair["refresh_token"].count(".") == 1
    bearer = {"Authorization": f"Bearer {pair['access_token']}"}
    assert queries.get(f"/customers/{customer_id}/orders", headers=bearer).status_code == 200


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(commands, container):
    sign_up(container, "ada@example.com")

    wrong_password = log_in(commands, "ada@example.com", "not the password")
    unknown_email = log_in(commands, "nobody@example.com")

    assert_error(wrong_password, 401, "invalid_credentials")
    assert unknown_email.status_code == 401
    assert unknown_email.json() == wrong_password.json()
    assert unknown_email.headers.get("www-authenticate") == wrong_password.headers.get(
        "www-authenticate"
    )


def test_an_erased_customer_gets_the_same_401(commands, container):
    customer_id = sign_up(container, "ada@example.com")
    refused = log_in(commands, "ada@example.com", "not the password").json()
    container.bus.handle(EraseCustomer(customer_id))

    response = log_in(commands, "ada@example.com")

    assert response.status_code == 401
    assert response.json() == refused


def test_failures_beyond_the_limit_are_429_with_retry_after(commands, container):
    sign_up(container, "ada@example.com")
    for _ in range(MAX_FAILURES):
        assert_error(log_in(commands, "ada@example.com", "guess"), 401)

    locked = log_in(commands, "ADA@example.com", PASSWORD)  # even the right password

    assert_error(locked, 429, "too_many_failed_logins")
    assert 1 <= int(locked.headers["Retry-After"]) <= 15 * 60
    assert log_in(commands, "someone@example.com", "guess").status_code == 401  # others not


def test_unknown_emails_are_throttled_like_known_ones(commands):
    for _ in range(MAX_FAILURES):
        assert_error(log_in(commands, "nobody@example.com", "guess"), 401)

    assert_error(log_in(commands, "nobody@example.com", "guess"), 429)


def test_a_successful_login_forgets_the_failures(commands, container):
    sign_up(container, "ada@example.com")
    for _ in range(MAX_FAILURES - 1):
        log_in(commands, "ada@example.com", "guess")
    assert log_in(commands, "ada@example.com").status_code == 200

    for _ in range(MAX_FAILURES - 1):
        assert_error(log_in(commands, "ada@example.com", "guess"), 401)
    assert log_in(commands, "ada@example.com").status_code == 200


def test_a_hash_with_outdated_parameters_is_replaced_at_login(commands, container):
    customer_id = sign_up(container, "ada@example.com")
    older = Argon2Passwords(time_cost=2, memory_kib=2048, parallelism=1).hash(PASSWORD)
    rehash_password(container.store, customer_id, older)

    assert log_in(commands, "ada@example.com").status_code == 200

    stored = credentials_for(container.store, "ada@example.com")
    assert stored is not None
    assert stored.password_hash != older
    assert "m=1024,t=1,p=1" in stored.password_hash
    assert log_in(commands, "ada@example.com").status_code == 200


def test_the_login_tables_hold_no_email_and_no_token(commands, container):
    sign_up(container, "ada@example.com")
    log_in(commands, "ada@example.com", "guess")
    pair = log_in(commands, "ada@example.com").json()
    log_in(commands, "ada@example.com", "guess")

    dump = _dump(container.read_models.dead_letters.engine)

    assert "ada@example.com" not in dump
    assert pair["refresh_token"].split(".")[1] not in dump


def _dump(engine) -> str:
    import sqlalchemy as sa

    rows = []
    with engine.connect() as conn:
        for table in ("shop_login_failures", "shop_refresh_families"):
            rows += [str(tuple(row)) for row in conn.execute(sa.text(f"SELECT * FROM {table}"))]
    return "\n".join(rows)


class CountingPasswords:
    def __init__(self, real) -> None:
        self.real, self.checked = real, []

    def hash(self, password: str) -> str:
        return self.real.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.checked.append(password_hash.rsplit("$", 2)[0])  # the parameters, no salt
        return self.real.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self.real.needs_rehash(password_hash)


def test_an_unknown_email_costs_the_same_hash_check_as_a_known_one(commands, container):
    sign_up(container, "ada@example.com")
    log_in(commands, "ada@example.com", "guess")  # the logins are made on first use
    logins = commands.app.state.logins
    logins.passwords = counting = CountingPasswords(logins.passwords)

    log_in(commands, "ada@example.com", "guess")
    log_in(commands, "nobody@example.com", "guess")

    known, unknown = counting.checked
    assert known == unknown == "$argon2id$v=19$m=1024,t=1,p=1"


def test_sign_up_log_in_and_erase_over_http(commands, queries):
    signed_up = commands.post(
        "/customers", json={"email": "grace@example.com", "password": PASSWORD, "name": "Grace"}
    )
    assert signed_up.status_code == 201, signed_up.text
    customer_id = signed_up.json()["customer_id"]
    pair = log_in(commands, "grace@example.com").json()
    bearer = {"Authorization": f"Bearer {pair['access_token']}"}

    erased = commands.post(f"/customers/{customer_id}/erase", headers=bearer)

    assert erased.status_code == 202, erased.text
    assert_error(log_in(commands, "grace@example.com"), 401, "invalid_credentials")
    refreshed = commands.post("/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert_error(refreshed, 401, "invalid_refresh_token")
