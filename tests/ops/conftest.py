"""An embedded shop per test with a clock that can run ahead, both apps and tokens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.auth import TokenCodec
from api.command_app import create_command_app
from api.query_app import create_query_app
from app.bootstrap import Container, bootstrap
from config.settings import Settings

SECRET = "ops-test-secret-" + "x" * 64


class SkewClock:
    """Real time plus `ahead_s`: ages and lag grow without sleeping."""

    def __init__(self) -> None:
        self.ahead_s = 0.0

    def __call__(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.ahead_s)


@pytest.fixture
def clock() -> SkewClock:
    return SkewClock()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        event_store="sqlite",
        jwt_secret=SECRET,
        lag_slo_s=5.0,
        payment_timeout_s=30.0,
        consistency_timeout_s=0.2,
    )


@pytest.fixture
def container(settings: Settings, clock: SkewClock) -> Iterator[Container]:
    built = bootstrap(settings, clock=clock)
    yield built
    built.close()


@pytest.fixture
def commands(container: Container) -> Iterator[TestClient]:
    with TestClient(create_command_app(container)) as client:
        yield client


@pytest.fixture
def queries(container: Container) -> Iterator[TestClient]:
    with TestClient(create_query_app(container)) as client:
        yield client


def bearer(role: str, sub: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {TokenCodec(SECRET, 'HS256').mint(role, sub, 600)}"}


@pytest.fixture
def admin() -> dict[str, str]:
    return bearer("admin", "ops-admin")


@pytest.fixture
def alice() -> dict[str, str]:
    return bearer("customer", "alice")
