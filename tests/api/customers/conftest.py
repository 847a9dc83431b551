"""Account API tests run on SQLite and PostgreSQL, with cheap password hashes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from config.settings import Settings
from tests.api.conftest import SECRET

CHEAP_HASHES = {"password_time_cost": 1, "password_memory_kib": 1024, "password_parallelism": 1}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def api_settings(request: pytest.FixtureRequest, settings_for) -> Settings:
    return settings_for(request.param, jwt_secret=SECRET, consistency_timeout_s=5, **CHEAP_HASHES)


@pytest.fixture
def sign_up(commands: TestClient) -> Callable[..., Any]:
    """`sign_up(email, name=..., password=..., key=None)` -> the response."""

    def send(email: str, name: str = "Ann Lee", password: str = "correct horse", key=None):
        headers = {"Idempotency-Key": key} if key else {}
        body = {"email": email, "password": password, "name": name}
        return commands.post("/customers", json=body, headers=headers)

    return send


@pytest.fixture
def customer(sign_up, codec) -> Callable[[str], tuple[str, dict[str, str]]]:
    """`customer(email)` -> (customer_id, their bearer header), freshly signed up."""

    def make(email: str) -> tuple[str, dict[str, str]]:
        answer = sign_up(email)
        assert answer.status_code == 201, answer.text
        customer_id = answer.json()["customer_id"]
        return customer_id, {"Authorization": f"Bearer {codec.mint('customer', customer_id, 600)}"}

    return make
