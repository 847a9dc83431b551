"""`ShopStore`: the one event-sourced application every command, saga and projector uses.

It wraps the library's `Application` with what the rest of the code needs: typed errors
(`NotFound`, `ConcurrencyConflict`), the log position of every save, and correlation and
causation ids stamped on each stored event.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from eventsourcing.application import (
    AggregateNotFoundError,
    Application,
    LRUCache,
    ProcessingEvent,
    Repository,
)
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    PersistenceError,
    Transcoder,
)

from domain.shared.base import ConcurrencyConflict, EventSourced, NotFound
from eventstore.codec import FastJSONTranscoder
from eventstore.keys import DataKeys
from eventstore.mapper import MetadataMapper
from eventstore.sealing import Sealer

log = logging.getLogger(__name__)
# Well under KurrentDB's default 1 MiB append limit (MaxAppendSize), with room for the
# event's envelope; a bigger snapshot would be refused after the events were recorded.
SNAPSHOT_MAX_BYTES = 512 * 1024


def project(aggregate: Any, events: Iterable[Any]) -> Any:
    """Fold events onto an aggregate.

    The library's default asserts a runtime-checkable Protocol on every event, which cost
    a fifth of a command's time in the profile; our events are all `EventSourced` events.
    """
    for domain_event in events:
        aggregate = domain_event.mutate(aggregate)
    return aggregate


def collect(processing: ProcessingEvent[str], aggregate: Any) -> list[Any]:
    """Move `aggregate`'s pending events into `processing`; the events moved.

    The library's own collect checks runtime Protocols on every object: slow.
    """
    events = aggregate.collect_events()
    processing.events.extend(events)
    processing.aggregates[aggregate.id] = aggregate
    return events


def _crossed(events: Iterable[Any], aggregate: Any, interval: int) -> bool:
    """Whether one of `aggregate`'s new events landed on a multiple of `interval`."""
    return any(
        e.originator_id == aggregate.id and e.originator_version % interval == 0 for e in events
    )


class ShopStore(Application[str]):
    """The shop's event store gateway. Its name prefixes PostgreSQL tables: keep it fixed."""

    name = "shop"

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        snapshot_intervals: Mapping[type[EventSourced], int] | None = None,
        keys: DataKeys | None = None,
    ) -> None:
        """`keys`: the customers' data keys; a store of its own, in memory, by default."""
        env = dict(env or {})
        self.keys = keys or DataKeys.in_memory()
        if snapshot_intervals:
            env["IS_SNAPSHOTTING_ENABLED"] = "y"
        # An instance attribute, so two stores in one process can differ.
        # The library declares these as class attributes keyed by its aggregate protocol.
        self.snapshotting_intervals = dict(snapshot_intervals or {})  # type: ignore[misc,arg-type]
        self.snapshotting_projectors = dict.fromkeys(self.snapshotting_intervals, project)  # type: ignore[misc]
        self.appended = threading.Condition()
        self.save_listeners: list[Callable[[int], None]] = []  # metrics: events per save
        super().__init__(env)
        self.keys.on_erasure.append(self._forget_cached_aggregates)

    def construct_transcoder(self) -> Transcoder:
        transcoder = FastJSONTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def construct_mapper(self) -> Mapper[str]:
        return MetadataMapper(self.construct_transcoder(), Sealer(self.keys))

    def get(self, stream_id: str) -> Any:
        aggregate = self.find(stream_id)
        if aggregate is None:
            raise NotFound(f"{stream_id} does not exist")
        return aggregate

    def find(self, stream_id: str) -> Any | None:
        return self._load(stream_id, copy=True)

    def read(self, stream_id: str) -> Any | None:
        """`find` without the copy of a cached aggregate (about 0.2 ms for a product):
        for looking only, never to change or save."""
        return self._load(stream_id, copy=False)

    def _load(self, stream_id: str, copy: bool) -> Any | None:
        self.keys.refresh()
        try:
            return self.repository.get(stream_id, projector_func=project, deepcopy_from_cache=copy)
        except AggregateNotFoundError:
            return None

    def save(self, *aggregates: Any, **kwargs: Any) -> int | None:  # type: ignore[override]
        """Append atomically (one stream on EventStoreDB); return the last event's position."""
        processing: ProcessingEvent[str] = ProcessingEvent()
        processing.saved_kwargs.update(kwargs)
        for aggregate in aggregates:
            collect(processing, aggregate)
        return self.record(processing)

    def record(self, processing: ProcessingEvent[str]) -> int | None:
        """Append the events `processing` collected in one transaction; see `save`."""
        try:
            recordings = self._record(processing)
        except IntegrityError as error:
            raise ConcurrencyConflict(str(error)) from error
        self._take_snapshots(processing)
        self._notify(recordings)
        with self.appended:
            self.appended.notify_all()
        for listener in self.save_listeners:
            listener(len(recordings))
        if not recordings or recordings[-1].notification is None:
            return None
        return recordings[-1].notification.id

    def _take_snapshots(self, processing: ProcessingEvent[str]) -> None:
        """Snapshot each saved aggregate whose new events crossed its interval.

        From the aggregate in hand: the library re-reads the stream for it (a second
        load of a long stream on every snapshot). A snapshot is a cache: one that cannot
        be stored (too big for the store, the store unavailable) is logged and skipped,
        never turned into a failure of a save whose events are already recorded.
        """
        if self.snapshots is None:
            return
        for aggregate in processing.aggregates.values():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and _crossed(processing.events, aggregate, interval):
                self._put_snapshot(aggregate)

    def _put_snapshot(self, aggregate: Any) -> None:
        assert self.snapshots is not None
        snapshot = type(aggregate).Snapshot.take(aggregate)
        stored = self.snapshots.mapper.to_stored_event(snapshot)
        if len(stored.state) > SNAPSHOT_MAX_BYTES:
            log.warning(
                "snapshot of %s at version %d skipped: %d bytes > %d",
                aggregate.id,
                aggregate.version,
                len(stored.state),
                SNAPSHOT_MAX_BYTES,
            )
            return
        try:
            self.snapshots.recorder.insert_events([stored])
        except PersistenceError:
            log.warning("snapshot of %s not stored", aggregate.id, exc_info=True)

    def wait_for_append(self, timeout_s: float) -> None:
        """Return when this process appends, or after `timeout_s` (other writers: poll)."""
        with self.appended:
            self.appended.wait(timeout_s)

    def head(self) -> int:
        """Position of the newest event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def caching(self, maxsize: int) -> ShopStore:
        """This store with an aggregate cache of its own (brought up to date from the store
        before each use): the same connections, keys and listeners, so a process that keeps
        no cache for one part of its work can keep one for another without a second pool.
        Close the original, not this. `maxsize` 0 or less: no cache, this store itself
        (the library would read it as a cache without bound)."""
        if maxsize <= 0:
            return self
        twin = copy.copy(self)
        twin._repository = Repository(
            event_store=self.events,
            snapshot_store=self.snapshots,
            cache_maxsize=maxsize,
            fastforward=True,
        )
        self.keys.on_erasure.append(twin._forget_cached_aggregates)
        return twin

    def close(self) -> None:
        super().close()
        self.keys.engine.dispose()
        close_head = getattr(self.recorder, "close_head", None)  # SQL stores watch for appends
        if close_head is not None:
            close_head()

    def _forget_cached_aggregates(self) -> None:
        """An erasure happened: cached aggregates may hold that customer's opened data."""
        cache = self.repository.cache
        if cache is not None:
            self.repository.cache = (
                type(cache)(maxsize=cache.maxsize) if isinstance(cache, LRUCache) else type(cache)()
            )
