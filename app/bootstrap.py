"""The composition root: the only place that turns settings into backends and services.

The API apps, the workers, the CLI and the tests all call `bootstrap()`; nothing else
constructs a store, an engine or a client, and nothing is built at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from adapters.passwords import Argon2Passwords
from app.backends import event_store_env, keys_engine
from commands.bus import CommandBus, build_command_bus
from commands.customer import customer_handlers
from config.settings import Settings
from eventstore.application import ShopStore
from eventstore.keys import DataKeys
from eventstore.log import EventLog

if TYPE_CHECKING:
    from app.read_side import Queries
    from projections.readmodels import ReadModels


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    """Everything a process needs, built once from one `Settings`."""

    settings: Settings
    store: ShopStore
    log: EventLog
    clock: Callable[[], datetime]
    bus: CommandBus
    read_models: ReadModels  # views open on first use
    queries: Queries  # the query objects over them, grouped for the routes
    extras: dict[str, Any] = field(default_factory=dict)
    passwords: Argon2Passwords | None = None  # hashes for sign-up and login
    _closers: list[Callable[[], None]] = field(default_factory=list)

    def on_close(self, closer: Callable[[], None]) -> None:
        self._closers.append(closer)

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer()
        self._closers.clear()
        self.store.close()


def build_store(settings: Settings) -> ShopStore:
    import domain.catalogue  # noqa: F401  registers every topic the log may hold
    from domain.coupon import Coupon
    from domain.inventory import InventoryItem
    from domain.shared.base import EventSourced

    # Inventory and coupon streams grow with every order; the others stay short.
    intervals: dict[type[EventSourced], int] = {
        InventoryItem: settings.snapshot_interval,
        Coupon: settings.snapshot_interval,
    }
    return ShopStore(event_store_env(settings), intervals, data_keys(settings))


def data_keys(settings: Settings) -> DataKeys:
    """The customers' data keys for `settings`' store (in memory for the memory store)."""
    if settings.event_store == "memory":
        return DataKeys.in_memory()
    engine = keys_engine(settings)
    keys = DataKeys(engine, cache_size=settings.key_cache_size)
    if settings.create_tables:
        keys.create_tables()
    return keys


def build_passwords(settings: Settings) -> Argon2Passwords:
    return Argon2Passwords(
        settings.password_time_cost, settings.password_memory_kib, settings.password_parallelism
    )


def bootstrap(
    settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
) -> Container:
    settings = settings or Settings()
    store = build_store(settings)
    passwords = build_passwords(settings)
    # EventStoreDB appends one stream at a time; the others write a sign-up in one append.
    accounts = customer_handlers(store, passwords, atomic=settings.event_store != "esdb")
    bus = build_command_bus(store, clock, settings.return_window_days, accounts)
    log = EventLog(store)
    from app.read_side import Queries, build_read_models

    read_models = build_read_models(settings, log, clock=clock)
    container = Container(settings, store, log, clock, bus, read_models, Queries(read_models))
    container.passwords = passwords
    container.on_close(read_models.close)
    return container
