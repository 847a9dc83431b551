"""Scenario fixtures: a whole shop per test on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.scenarios.shop import Shop

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def shop(backend: str, settings_for) -> Iterator[Shop]:
    the_shop = Shop(settings_for(backend, payment_timeout_s=30))
    yield the_shop
    the_shop.close()
