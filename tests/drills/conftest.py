"""Drill sizes: quick by default (CI), full with SHOP_DRILL_FULL=1 / SHOP_DRILL_ORDERS=N."""

from __future__ import annotations

import os

import pytest

FULL = os.environ.get("SHOP_DRILL_FULL", "") in ("1", "true", "yes")
DRILL_ORDERS = int(os.environ.get("SHOP_DRILL_ORDERS", "2000" if FULL else "500"))

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param
