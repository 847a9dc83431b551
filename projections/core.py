"""What every read model shares: the batch fold, the projector shape and the view contract.

A projector is store-agnostic: for each event it names the documents it touches (`keys`)
and changes them in a `Docs` fold (`apply`). A view loads those documents, lets the
projector fold a whole batch over them, and writes the changed documents together with
its new position in one transaction (or one MULTI/EXEC, or one versioned bulk).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from eventstore.log import Logged

Key = tuple[str, str]  # (kind, id), e.g. ("order", "3f2c..."), ("stock", "SKU-1")
Doc = dict[str, Any]


class Docs:
    """The documents one batch touches: loaded once, changed in memory, saved once."""

    def __init__(self, loaded: dict[Key, Doc]) -> None:
        self._docs: dict[Key, Doc | None] = dict(loaded)
        self.versions: dict[Key, int] = {}
        self.changed: set[Key] = set()
        self.appended: list[tuple[str, Doc]] = []
        self.position = 0

    def get(self, kind: str, key: str) -> Doc | None:
        doc = self._docs.get((kind, key))
        return None if doc is None else doc

    def put(self, kind: str, key: str, doc: Doc) -> None:
        self._docs[(kind, key)] = doc
        self.changed.add((kind, key))
        self.versions[(kind, key)] = self.position

    def update(self, kind: str, key: str, **fields: Any) -> Doc:
        """Merge `fields` into the document, creating it when missing."""
        doc = dict(self.get(kind, key) or {})
        doc.update(fields)
        self.put(kind, key, doc)
        return doc

    def append(self, kind: str, row: Doc) -> None:
        self.appended.append((kind, row))

    def changed_docs(self) -> dict[Key, Doc]:
        return {key: doc for key in self.changed if (doc := self._docs[key]) is not None}


class Projector(Protocol):
    """Maps events onto documents; never reads a store and never holds state."""

    @property
    def name(self) -> str: ...
    @property
    def topics(self) -> Sequence[str]: ...

    def keys(self, logged: Logged) -> Iterable[Key]: ...

    def apply(self, logged: Logged, docs: Docs) -> None: ...


def fold(
    projector: Projector, events: Sequence[Logged], load: Callable[[set[Key]], dict[Key, Doc]]
) -> Docs:
    """Fold `events` (already de-duplicated and in log order) over the documents they touch."""
    keys = {key for logged in events for key in projector.keys(logged)}
    docs = Docs(load(keys) if keys else {})
    for logged in events:
        docs.position = logged.position
        projector.apply(logged, docs)
    return docs


def fresh_events(events: Sequence[Logged], stored: int) -> list[Logged]:
    """Events past `stored`, each once: replays and duplicate deliveries fall out here."""
    fresh: list[Logged] = []
    last = stored
    for logged in events:
        if logged.position > last:
            fresh.append(logged)
            last = logged.position
    return fresh


class ProjectionView(ABC):
    """A read model in one store, kept in numbered generations behind a live pointer.

    Every generation has its own position. The runner writes the live one; a rebuild
    fills a new one, then switches the pointer and drops the old one.
    """

    name: str
    projector: Projector

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Around a replay of many batches into one generation (a rebuild): a view may
        write differently meanwhile. By default nothing changes."""
        yield

    @abstractmethod
    def ensure(self) -> None:
        """Create the store's bookkeeping and a first live generation if there is none."""

    @abstractmethod
    def live_generation(self) -> int: ...

    @abstractmethod
    def generations(self) -> list[int]: ...

    @abstractmethod
    def position(self, generation: int | None = None) -> int: ...

    @abstractmethod
    def apply(
        self, events: Sequence[Logged], after: int, upto: int, generation: int | None = None
    ) -> bool:
        """Apply one batch read after `after` and move to `upto`, atomically.

        Returns False (and writes nothing) when the stored position is behind `after`,
        which happens when the live generation was switched under the caller: re-read.
        """

    @abstractmethod
    def apply_parked(self, logged: Logged, generation: int | None = None) -> bool:
        """Fold one parked event into the documents it touches; the position stays put.

        For a dead letter retried after a fix: the position is already past the event, so
        `apply` would skip it. Applies it at most once per generation (a marker written
        with the documents) and only when the position is past it (before that, the
        runner applies it anyway). True when it was applied now.
        """

    @abstractmethod
    def create_generation(self) -> int: ...

    @abstractmethod
    def switch(self, generation: int) -> None: ...

    @abstractmethod
    def drop_generation(self, generation: int) -> None: ...

    @abstractmethod
    def snapshot(self, generation: int | None = None) -> tuple[int, dict[str, Any]]:
        """(position, every row/document) read consistently, to compare two generations."""

    def close(self) -> None:  # noqa: B027 - most views own nothing to release
        """Release clients and engines the view owns (none by default)."""
