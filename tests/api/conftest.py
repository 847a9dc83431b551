"""An embedded container per test, clients for both apps, and tokens for three callers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.auth import TokenCodec
from api.command_app import create_command_app
from api.query_app import create_query_app
from app.bootstrap import Container, bootstrap
from config.settings import Settings

SECRET = "test-secret-" + "x" * 64


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        event_store="sqlite",
        jwt_secret=SECRET,
        consistency_timeout_s=0.3,
    )


@pytest.fixture
def container(api_settings: Settings) -> Iterator[Container]:
    built = bootstrap(api_settings)
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


@pytest.fixture
def codec() -> TokenCodec:
    return TokenCodec(SECRET, "HS256")


def bearer(codec: TokenCodec, role: str, sub: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {codec.mint(role, sub, 600)}"}


@pytest.fixture
def admin(codec: TokenCodec) -> dict[str, str]:
    return bearer(codec, "admin", "admin-1")


@pytest.fixture
def alice(codec: TokenCodec) -> dict[str, str]:
    return bearer(codec, "customer", "alice")


@pytest.fixture
def bob(codec: TokenCodec) -> dict[str, str]:
    return bearer(codec, "customer", "bob")


@pytest.fixture
def head(container: Container) -> Callable[[], int]:
    """The log head now: tests compare it before and after a refused request."""
    return container.log.head


@pytest.fixture
def project(container: Container) -> Callable[[], None]:
    """Bring every read model up to the head (what the in-process runner does in serve)."""
    return lambda: container.read_models.catch_up()
