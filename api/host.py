"""What the API apps need from the process hosting them, as protocols.

The composition root (`app.bootstrap.Container`) satisfies them by shape: api never imports
app, and a route never sees more of the process than the dependency it declares.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from commands.ports import Passwords
from config.settings import Settings
from eventstore.application import ShopStore
from eventstore.log import EventLog
from queries.catalog import CatalogQueries
from queries.lookups import LookupQueries
from queries.orders import OrderQueries
from queries.projections import ListProjections


class Bus(Protocol):
    def handle(self, command: Any) -> Any: ...


class ReadPositions(Protocol):
    """Where each read model stands against the log (`projections.readmodels.ReadModels`)."""

    @property
    def names(self) -> list[str]: ...

    def head(self) -> int: ...

    def position(self, name: str) -> int: ...

    def lag(self, name: str) -> tuple[int, float]: ...

    def wait_for(self, name: str, position: int, timeout_s: float) -> bool: ...


class QueryGroups(Protocol):
    """The query objects, one group per view (`app.read_side.Queries`)."""

    @property
    def orders(self) -> OrderQueries: ...

    @property
    def catalog(self) -> CatalogQueries: ...

    @property
    def lookups(self) -> LookupQueries: ...

    @property
    def projections(self) -> ListProjections: ...

    @property
    def leases(self) -> Callable[[], list[dict[str, Any]]]: ...


class Host(Protocol):
    """Everything the app factories hand out, piece by piece, on `app.state`."""

    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> ShopStore: ...

    @property
    def log(self) -> EventLog: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    @property
    def bus(self) -> Bus: ...

    @property
    def read_models(self) -> ReadPositions: ...

    @property
    def queries(self) -> QueryGroups: ...

    @property
    def extras(self) -> dict[str, Any]: ...

    @property
    def passwords(self) -> Passwords | None: ...

    def close(self) -> None: ...
