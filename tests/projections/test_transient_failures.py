# ruff: noqa: F811 - the shared fixtures are imported, then requested by name
"""A store that fails for a moment parks nothing: every event is applied once it is back.

The outage is real: another connection holds the write lock of the views' SQLite file and
the hot lookups write through an engine that waits only 50 ms for it, so each of their
batches fails with "database is locked" while reading the position still works. Every
event fails alike then, and so does a batch without it: nothing is to blame.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

import sqlalchemy as sa

from app.bootstrap import Container
from projections.runner import ProjectionRunner
from projections.sqlstore import create_sql_engine
from tests.projections.poison import caught_up, container, runner, wait_until  # noqa: F401
from tests.projections.shopdata import Shop

OUTAGE_S = 1.5  # at 0.01 s doubling, long enough for more failures than max_attempts


def impatient_engine(url: str) -> sa.Engine:
    engine = create_sql_engine(url)

    @sa.event.listens_for(engine, "connect")
    def _short_wait(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA busy_timeout=50")  # after the default's 30 s

    return engine


def test_a_locked_view_store_parks_nothing(container: Container, runner: ProjectionRunner):
    shop = Shop(container.store)
    shop.catalog()
    wait_until(lambda: caught_up(container))
    view = container.read_models.view("hot_lookups")
    view.engine = impatient_engine(str(view.engine.url))
    locker = sqlite3.connect(container.settings.views_sqlite_path, isolation_level=None)

    locker.execute("BEGIN IMMEDIATE")  # the outage starts
    shop.change("SKU-KB1", "change_price", 9900)
    shop.order("alice", {"SKU-MS1": 1})
    time.sleep(OUTAGE_S)
    failed = runner.errors.get("hot_lookups")
    locker.execute("ROLLBACK")  # and ends

    wait_until(lambda: caught_up(container))
    assert isinstance(failed, sa.exc.OperationalError)
    assert "locked" in str(failed)
    assert container.read_models.dead_letters.listed() == []
    assert view.product("SKU-KB1")["price"] == 9900
    locker.close()
