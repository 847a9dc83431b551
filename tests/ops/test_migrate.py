"""`shop migrate`: everything created once, a second run changes nothing, and four runs at
once (real processes) all succeed with each table and each view generation there once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.migrate import migrate, prepare_store
from app.migration_lock import VERSION, applied
from config.settings import Settings
from tests.support.postgres import fresh_schema
from tests.support.services import require_postgres

SHOP = str(Path(sys.executable).with_name("shop"))
VIEWS = {"order_views", "hot_lookups", "catalog_search", "customers"}


def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return {"SHOP_DATA_DIR": str(tmp_path / "var"), "SHOP_EVENT_STORE": "sqlite"}


def postgres_env(tmp_path: Path, dsn: str, schema: str) -> dict[str, str]:
    """Events, saga state and order views in one fresh schema; the catalog in SQLite."""
    read_url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    return {
        "SHOP_DATA_DIR": str(tmp_path / "var"),
        "SHOP_EVENT_STORE": "postgres",
        "SHOP_POSTGRES_DSN": dsn,
        "SHOP_POSTGRES_SCHEMA": schema,
        "SHOP_READ_DB_URL": f"{read_url}?options=-csearch_path%3D{schema}",
    }


@pytest.fixture(params=["sqlite", "postgres"])
def store_env(request, tmp_path) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        yield sqlite_env(tmp_path)
        return
    dsn = require_postgres()
    with fresh_schema(dsn) as schema:
        with sa.create_engine(dsn.replace("postgresql", "postgresql+psycopg", 1)).begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA "{schema}"')  # migrate must create it
        yield postgres_env(tmp_path, dsn, schema)
        with sa.create_engine(dsn.replace("postgresql", "postgresql+psycopg", 1)).begin() as c:
            c.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')  # for the cleanup


def settings_of(env: dict[str, str]) -> Settings:
    return Settings(**{key.removeprefix("SHOP_").lower(): value for key, value in env.items()})


def generations(settings: Settings) -> dict[str, int]:
    """Generations per view across the SQL read stores: 1 each when created once."""
    urls = [settings.read_db_url or f"sqlite:///{settings.views_sqlite_path}"]
    urls.append(f"sqlite:///{settings.catalog_sqlite_path}")
    counts: dict[str, int] = {}
    for url in urls:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT projection, count(*) FROM rm_tracking GROUP BY 1")
            counts.update({name: int(n) for name, n in rows})
        engine.dispose()
    return counts


def run_migrate(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [SHOP, "migrate"],
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_second_migration_changes_nothing(store_env):
    settings = settings_of(store_env)
    first = migrate(settings)
    second = migrate(settings)

    assert "shop_events" in first.created or "stored_events" in first.created
    assert {"saga_checkpoints", "saga_deadlines", "rm_tracking"} <= set(first.created)
    assert {"shop_leases", "shop_workers"} <= set(first.created)
    assert first.created[-1] == f"shop_migrations version {VERSION}"
    assert second.created == []
    assert applied(settings)
    assert generations(settings) == dict.fromkeys(VIEWS, 1)


def test_four_processes_migrating_at_once_all_succeed_and_create_everything_once(store_env):
    runs = [run_migrate(store_env) for _ in range(4)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]

    assert [run.returncode for run in runs] == [0] * 4, "\n".join(outputs)
    creators = [out for out in outputs if "created shop_migrations" in out]
    assert len(creators) == 1, "\n".join(outputs)
    assert sum("(0 objects)" in out for out in outputs) == 3
    assert generations(settings_of(store_env)) == dict.fromkeys(VIEWS, 1)


def test_a_process_without_create_tables_waits_for_the_migration_then_names_it(tmp_path):
    settings = settings_of(sqlite_env(tmp_path)).model_copy(
        update={"create_tables": False, "migrate_wait_s": 0.3}
    )
    with pytest.raises(SystemExit, match="run `shop migrate`"):
        prepare_store(settings)

    migrate(settings)
    assert prepare_store(settings).create_tables is False
