"""Logins on every state database: SQLite and PostgreSQL, with cheap argon2 parameters."""

from __future__ import annotations

import pytest

from app.bootstrap import Container
from config.settings import Settings
from domain.customer import SignUp
from tests.api.conftest import SECRET

MAX_FAILURES = 3
PASSWORD = "correct horse battery"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api_settings(request: pytest.FixtureRequest, settings_for) -> Settings:
    return settings_for(
        request.param,
        jwt_secret=SECRET,
        consistency_timeout_s=0.3,
        login_max_failures=MAX_FAILURES,
        password_time_cost=1,
        password_memory_kib=1024,
        password_parallelism=1,
    )


def sign_up(container: Container, email: str, password: str = PASSWORD) -> str:
    """A new account's customer id."""
    accepted = container.bus.handle(SignUp(email=email, password=password, name="Ada"))
    return str(accepted.stream_id).removeprefix("customer-")


def log_in(commands, email: str, password: str = PASSWORD):
    return commands.post("/auth/token", json={"email": email, "password": password})
