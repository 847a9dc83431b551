"""`shop migrate`: every schema, table and index the configured stores need, created once.

In order, under the migration lock (`app.migration_lock`): the PostgreSQL schema, the event
store's tables (the library's `create_table`), each read model's tables, indexes or keys
(its view's `ensure()`), the saga's checkpoints and deadlines, the dead letters, the login
failures and refresh families, the simulated payment provider's table, and last the marker
`shop_migrations`. Each step finds what exists and creates only what is missing, so a
second run changes nothing.

Every process start runs the same migration (`prepare_store`) when `SHOP_CREATE_TABLES`
is true, and waits for the marker when it is false, so replicas started together on an
empty store never race each other's DDL.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import sqlalchemy as sa

from app.backends import keys_engine, sqlite_engine, state_engine
from app.legacy_state import move_saga_state
from app.migration_lock import NotMigrated, applied, mark, migration_lock, wait_until_migrated
from app.read_side import Resources
from config.settings import Settings
from eventstore.dead_letters import DeadLetters
from eventstore.keys import DataKeys
from projections.core import ProjectionView
from projections.registry import PROJECTIONS
from projections.sqlbase import SqlView

log = logging.getLogger("shop.migrate")

Action = Callable[[], list[str]]


@dataclass(frozen=True)
class Step:
    name: str
    created: list[str]
    seconds: float

    def line(self) -> str:
        what = f"created {', '.join(self.created)}" if self.created else "already there"
        return f"{self.name}: {what} ({self.seconds:.2f} s)"


@dataclass(frozen=True)
class MigrationReport:
    steps: list[Step]
    seconds: float

    @property
    def created(self) -> list[str]:
        return [name for step in self.steps for name in step.created]

    def summary(self) -> str:
        if not self.steps:
            return f"already migrated by another process ({self.seconds:.2f} s, most of it waiting)"
        fresh = sum(1 for step in self.steps if step.created)
        return (
            f"migrated in {self.seconds:.2f} s: {fresh} of {len(self.steps)} steps created "
            f"something ({len(self.created)} objects), {len(self.steps) - fresh} already there"
        )


def migrate(
    settings: Settings, say: Callable[[str], None] = lambda _: None, unless_applied: bool = False
) -> MigrationReport:
    """Create what is missing, under the lock; say each step's outcome as it finishes.

    `unless_applied`: do nothing if this version is recorded once the lock is ours (a
    process start that waited while another process migrated).
    """
    started = time.monotonic()
    resources = Resources(settings)
    steps: list[Step] = []
    try:
        with migration_lock(settings, say):
            if unless_applied and applied(settings):
                return MigrationReport([], time.monotonic() - started)
            for name, action in _plan(settings, resources):
                began = time.monotonic()
                steps.append(Step(name, action(), time.monotonic() - began))
                say(steps[-1].line())
    finally:
        resources.close()
    return MigrationReport(steps, time.monotonic() - started)


def _plan(settings: Settings, resources: Resources) -> list[tuple[str, Action]]:
    plan: list[tuple[str, Action]] = []
    if settings.event_store == "postgres" and settings.postgres_schema:
        plan.append((f"schema {settings.postgres_schema}", partial(_schema, settings)))
    if settings.event_store in ("sqlite", "postgres"):
        plan.append((f"event store ({settings.event_store})", partial(_event_store, settings)))
    for spec in PROJECTIONS:
        store = spec.store_for(settings)
        build = partial(spec.stores[store], resources)
        plan.append((f"read model {spec.name} ({store})", partial(_view, build)))
    plan.append(("data keys", partial(_data_keys, settings)))
    plan.append(("saga state", partial(_in_state_db, settings, _saga_tables)))
    plan.append(("dead letters", partial(_in_state_db, settings, _dead_letter_tables)))
    plan.append(("notifications", partial(_in_state_db, settings, _notification_tables)))
    plan.append(("integration outbox", partial(_in_state_db, settings, _outbox_tables)))
    plan.append(("webhooks", partial(_in_state_db, settings, _webhook_tables)))
    plan.append(("logins", partial(_in_state_db, settings, _login_tables)))
    if settings.event_store == "sqlite":
        plan.append(("saga state of older releases", partial(move_saga_state, settings)))
    plan.append(("payment simulator", partial(_gateway, settings)))
    plan.append(("marker", partial(_in_state_db, settings, mark)))
    return plan


def _tables(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names())


def _created_by(engine: sa.Engine, action: Callable[[], object]) -> list[str]:
    before = _tables(engine)
    action()
    return sorted(_tables(engine) - before)


def _schema(settings: Settings) -> list[str]:
    import psycopg
    from psycopg import sql

    assert settings.postgres_dsn
    assert settings.postgres_schema
    name = settings.postgres_schema
    with psycopg.connect(settings.postgres_dsn, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,)).fetchone():
            return []
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(name)))
    return [f"schema {name}"]


def _event_store(settings: Settings) -> list[str]:
    from app.bootstrap import build_store

    if settings.event_store == "postgres":
        engine = state_engine(settings)
    else:
        engine = sqlite_engine(settings.events_sqlite_path)
    creating = settings.model_copy(update={"create_tables": True})
    try:
        return _created_by(engine, lambda: build_store(creating).close())
    finally:
        engine.dispose()


def _view(build: Callable[[], ProjectionView]) -> list[str]:
    view = build()
    if isinstance(view, SqlView):
        return _created_by(view.engine, view.ensure)
    before = view.live_generation()
    view.ensure()
    return [] if before else [f"{view.name} generation {view.live_generation()}"]


def _data_keys(settings: Settings) -> list[str]:
    if settings.event_store == "memory":
        return []
    engine = keys_engine(settings)
    try:
        return _created_by(engine, DataKeys(engine).create_tables)
    finally:
        engine.dispose()


def _saga_tables(engine: sa.Engine) -> list[str]:
    from commands.process_managers.state import SagaState

    return _created_by(engine, SagaState(engine).create_tables)


def _dead_letter_tables(engine: sa.Engine) -> list[str]:
    return _created_by(engine, DeadLetters(engine).create_tables)


def _outbox_tables(engine: sa.Engine) -> list[str]:
    from integration.outbox import Outbox

    return _created_by(engine, Outbox(engine).create_tables)


def _webhook_tables(engine: sa.Engine) -> list[str]:
    from integration.webhooks.tables import create_tables

    return _created_by(engine, lambda: create_tables(engine))


def _login_tables(engine: sa.Engine) -> list[str]:
    from commands.sessions.tables import create_tables

    return _created_by(engine, partial(create_tables, engine))


def _notification_tables(engine: sa.Engine) -> list[str]:
    from notifications.records import NotificationRecords

    return _created_by(engine, NotificationRecords(engine).create_tables)


def _in_state_db(settings: Settings, action: Callable[[sa.Engine], list[str]]) -> list[str]:
    engine = state_engine(settings)
    try:
        return action(engine)
    finally:
        engine.dispose()


def _gateway(settings: Settings) -> list[str]:
    from commands.payment_gateway import SimulatedGateway

    path = settings.data_dir / "gateway.sqlite3"
    engine = sqlite_engine(path)
    try:
        return _created_by(engine, lambda: SimulatedGateway(path).close())
    finally:
        engine.dispose()


def prepare_store(settings: Settings) -> Settings:
    """At a process's start: migrate (create_tables) or wait for `shop migrate`.

    A store whose marker records this version is left alone (`shop migrate` repairs one
    whose tables were dropped since). Returns the settings the process runs on: with
    create_tables off, since everything exists (the library's create_table also replaces
    a function, which concurrent processes must not do). The in-memory store is private
    to its process: nothing to share or wait for.
    """
    if settings.event_store == "memory":
        return settings
    try:
        if settings.create_tables and not applied(settings):
            report = migrate(settings, lambda line: log.debug("migrate: %s", line), True)
            log.info("%s", report.summary())
        elif not settings.create_tables:
            wait_until_migrated(settings)
    except NotMigrated as failure:
        raise SystemExit(f"shop: {failure}") from None
    return settings.model_copy(update={"create_tables": False})


def run_migrate() -> None:
    """`shop migrate`: print each step and a summary; exit 1 with the reason on failure."""
    settings = Settings()
    try:
        report = migrate(settings, lambda line: print(f"migrate: {line}", flush=True))
    except NotMigrated as failure:
        raise SystemExit(f"shop migrate: {failure}") from None
    print(report.summary(), flush=True)
