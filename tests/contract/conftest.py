"""Fixtures shared by the contract tests of the state beside the events."""

from __future__ import annotations

import pytest

from app.migrate import migrate
from config.settings import Settings

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, settings_for) -> Settings:
    """A migrated store on each backend (`shop migrate` has run)."""
    settings = settings_for(request.param)
    migrate(settings)
    return settings
