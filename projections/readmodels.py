"""`ReadModels`: the read side of one process — its views, their positions, lag and runner.

It knows nothing of the queries over those views: the composition root pairs them.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from eventstore.dead_letters import DeadLetters
from eventstore.log import EventLog
from projections.core import ProjectionView
from projections.poison import PoisonGuard
from projections.runner import BATCH_SIZE, ProjectionRunner

# Counting reads the unapplied events: a scrape stops at this many ("at least").
LAG_COUNT_CAP = 10_000


class ReadModels:
    """Views by projection name, plus what the API and the CLI ask of them."""

    def __init__(
        self,
        log: EventLog,
        factories: Mapping[str, Callable[[], ProjectionView]],
        closer: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        dead_letters: Callable[[], DeadLetters] | None = None,
        max_attempts: int = 5,
    ) -> None:
        self.log = log
        self.names = list(factories)
        self.clock = clock
        self._factories = factories
        self._views: dict[str, ProjectionView] = {}
        self._closer = closer
        self._runners: list[ProjectionRunner] = []
        self._dead_letters = dead_letters
        self.max_attempts = max_attempts

    @cached_property
    def dead_letters(self) -> DeadLetters:
        """Where runners park the events they keep failing on (opened on first use)."""
        if self._dead_letters is None:
            raise LookupError("this read side was built without a dead letter store")
        return self._dead_letters()

    @property
    def views(self) -> dict[str, ProjectionView]:
        """Every view, built (and its store connected) on first use."""
        return {name: self.view(name) for name in self.names}

    def view(self, name: str) -> ProjectionView:
        if name not in self._factories:
            raise KeyError(f"unknown projection {name!r}; known: {', '.join(self.names)}")
        if name not in self._views:
            self._views[name] = self._factories[name]()
        return self._views[name]

    def position(self, name: str) -> int:
        return self.view(name).position()

    def head(self) -> int:
        return self.log.head()

    def lag(self, name: str) -> tuple[int, float]:
        """(events, seconds) behind the head; seconds = age of the oldest unapplied event.

        Events are counted (up to `LAG_COUNT_CAP`), never `head - position`: positions are
        byte offsets on KurrentDB, where one event behind would read as hundreds.
        """
        position = self.position(name)
        head = self.head()
        if position >= head:
            return 0, 0.0
        events = self.log.count(position, head, cap=LAG_COUNT_CAP)
        oldest = self.log.read(position, limit=1, stop=head)
        if not oldest:
            return events, 0.0
        age = (self.clock() - oldest[0].event.timestamp).total_seconds()
        return events, max(0.0, age)

    def wait_for(self, name: str, position: int, timeout_s: float) -> bool:
        """Whether `name` reached `position` within `timeout_s` (polls every 2 ms)."""
        view = self.view(name)
        deadline = time.monotonic() + timeout_s
        while view.position() < position:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.002)
        return True

    def runner(self, only: str | None = None, batch_size: int = BATCH_SIZE) -> ProjectionRunner:
        views = {only: self.view(only)} if only else self.views
        guard = None
        if self._dead_letters is not None:
            guard = PoisonGuard(self.log, self.dead_letters, self.max_attempts, self.clock)
        runner = ProjectionRunner(self.log, views, batch_size, guard=guard)
        self._runners.append(runner)
        return runner

    def catch_up(self, only: str | None = None) -> None:
        ProjectionRunner(self.log, {only: self.view(only)} if only else self.views).catch_up()

    def close(self) -> None:
        for runner in self._runners:
            runner.stop()
        for view in self._views.values():
            view.close()
        self._views.clear()
        self._closer()

    def __getattr__(self, name: str) -> Any:  # read_models.order_views etc.
        if name in self.__dict__.get("_factories", {}):
            return self.view(name)
        raise AttributeError(name)
