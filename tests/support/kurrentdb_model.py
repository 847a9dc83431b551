"""`KurrentDBModel`: a KurrentDB server as our code meets it through kurrentdbclient.

It answers the client methods that eventsourcing-kurrentdb's recorder and our own
`eventstore.kurrentdb` call, with the semantics KurrentDB 25 documents, so that the
event store contract and the regression tests run on every CI run without a server:

- Commit positions are byte offsets in the transaction log: each event's position is
  the previous one plus the size of its record, so they increase with gaps
  (https://docs.kurrent.io/clients/grpc/reading-events.html#reading-from-the-all-stream).
- A read of `$all` starts at a position a previous read or append returned (or at the
  start); any other position is refused with `InvalidCommitPositionError` (25.1+)
  (https://docs.kurrent.io/clients/grpc/reading-events.html#reading-from-a-position).
- Reads of `$all` go forwards (from and including the position) or backwards (from the
  end, or from before the position)
  (https://docs.kurrent.io/clients/grpc/reading-events.html#reading-backwards,
  https://github.com/pyeventsourcing/kurrentdbclient#read-all-events).
- Server-side filters on the event type or the stream name, by regex or by prefix
  (https://docs.kurrent.io/clients/grpc/subscriptions.html#server-side-filtering);
  the regex is the one kurrentdbclient builds, searched as .NET's `Regex.IsMatch` does.
- An append is refused over `MaxAppendSize`, 1 MiB by default
  (https://docs.kurrent.io/server/v25.0/configuration/db-config.html).
- Optimistic concurrency on the stream's expected revision
  (https://docs.kurrent.io/clients/grpc/appending-events.html#handling-concurrency).
- Calls honour their gRPC deadline, the `timeout` of each kurrentdbclient method
  (https://github.com/pyeventsourcing/kurrentdbclient#read-all-events; `DefaultDeadline` in
  the URI covers writes only, https://github.com/pyeventsourcing/kurrentdbclient#connection-strings):
  after `hang()` the model stops answering, as a stuck server does.
- A fresh database already holds system events (`$`-prefixed types).

The recorder's own quirks (one event past `stop`) come from the real recorder, which runs
unchanged on top of this model.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from kurrentdbclient import DEFAULT_EXCLUDE_FILTER, NewEvent, RecordedEvent, StreamState
from kurrentdbclient.exceptions import (
    GrpcDeadlineExceededError,
    InvalidCommitPositionError,
    MaximumAppendSizeExceededError,
    NotFoundError,
    WrongCurrentVersionError,
)

from tests.support.kurrentdb_filters import ModelSubscription, matcher

MAX_APPEND_SIZE = 1024 * 1024
RECORD_HEADER_BYTES = 137  # prepare-record overhead: what makes positions gappy
_SERVERS: dict[str, KurrentDBModel] = {}


class KurrentDBModel:
    """One in-memory database; `serve(uri)` makes `ModelFactory` stores reach it."""

    def __init__(self, max_append_size: int = MAX_APPEND_SIZE) -> None:
        self.max_append_size = max_append_size
        self.calls: list[tuple[str, float | None]] = []  # (method, timeout) per call
        self.stream_reads: list[str] = []  # the stream of each read_stream call
        self._log: list[RecordedEvent] = []
        self._positions: set[int] = set()
        self._streams: dict[str, list[RecordedEvent]] = {}
        self._next_position = 0
        self._hung = threading.Event()
        self._changed = threading.Condition()
        for _ in range(3):  # what a new node writes before any client connects
            self.append_events(
                "$stats-127.0.0.1:2113", events=[_system()], current_version=StreamState.ANY
            )

    def serve(self, uri: str) -> str:
        _SERVERS[uri] = self
        return uri

    @staticmethod
    def serving(uri: str) -> KurrentDBModel:
        return _SERVERS[uri]

    def hang(self) -> None:
        """From now on no call is answered before its deadline."""
        self._hung.set()

    def append_events(
        self,
        stream_name: str,
        *,
        events: Sequence[NewEvent],
        current_version: int | StreamState,
        timeout: float | None = None,
        credentials: Any = None,
    ) -> int:
        self._answer("append_events", timeout)
        size = sum(len(e.data) + len(e.metadata) for e in events)
        if size > self.max_append_size:
            raise MaximumAppendSizeExceededError(f"{size} bytes > {self.max_append_size}")
        with self._changed:
            stream = self._streams.get(stream_name, [])
            self._check_version(stream_name, stream, current_version)
            recorded = [self._record(stream_name, len(stream) + i, e) for i, e in enumerate(events)]
            self._streams[stream_name] = stream + recorded
            self._changed.notify_all()
        return recorded[-1].commit_position

    def read_stream(
        self,
        stream_name: str,
        *,
        stream_position: int | None = None,
        backwards: bool = False,
        limit: int = sys.maxsize,
        timeout: float | None = None,
        **_: Any,
    ) -> Iterator[RecordedEvent]:
        self._answer("read_stream", timeout)
        self.stream_reads.append(stream_name)
        return self._stream(stream_name, stream_position, backwards, limit)

    def _stream(
        self, name: str, position: int | None, backwards: bool, limit: int
    ) -> Iterator[RecordedEvent]:
        """Like the client's read response: errors surface when it is iterated."""
        if name not in self._streams:
            raise NotFoundError(f"Stream {name!r} not found")
        events = list(self._streams[name])
        if backwards:
            events.reverse()
            last = events[0].stream_position if position is None else position
            yield from [e for e in events if e.stream_position <= last][:limit]
        else:
            yield from [e for e in events if e.stream_position >= (position or 0)][:limit]

    def get_current_version(
        self, stream_name: str, *, timeout: float | None = None, **_: Any
    ) -> int | StreamState:
        self._answer("get_current_version", timeout)
        stream = self._streams.get(stream_name)
        return stream[-1].stream_position if stream else StreamState.NO_STREAM

    def read_all(
        self,
        *,
        commit_position: int | None = None,
        backwards: bool = False,
        filter_exclude: Sequence[str] = DEFAULT_EXCLUDE_FILTER,
        filter_include: Sequence[str] = (),
        filter_by_stream_name: bool = False,
        filter_by_prefix: bool = False,
        limit: int = sys.maxsize,
        timeout: float | None = None,
        **_: Any,
    ) -> Iterator[RecordedEvent]:
        self._answer("read_all", timeout)
        matches = matcher(filter_exclude, filter_include, filter_by_stream_name, filter_by_prefix)
        return self._all(commit_position, backwards, matches, limit)

    def _all(
        self, position: int | None, backwards: bool, matches: Any, limit: int
    ) -> Iterator[RecordedEvent]:
        """Like the client's read response: errors surface when it is iterated."""
        yield from [e for e in self._from(position, backwards) if matches(e)][:limit]

    def get_commit_position(
        self, *, filter_exclude: Sequence[str] = DEFAULT_EXCLUDE_FILTER, **kwargs: Any
    ) -> int:
        """What kurrentdbclient does: the newest matching event's position, read backwards."""
        newest = list(
            self.read_all(backwards=True, filter_exclude=filter_exclude, limit=1, **kwargs)
        )
        return newest[0].commit_position if newest else 0

    def subscribe_to_all(
        self,
        *,
        commit_position: int | None = None,
        filter_exclude: Sequence[str] = DEFAULT_EXCLUDE_FILTER,
        filter_include: Sequence[str] = (),
        **_: Any,
    ) -> ModelSubscription:
        """A catch-up subscription: long-lived by nature, so it takes no deadline."""
        return ModelSubscription(self, commit_position, filter_exclude, filter_include)

    def close(self) -> None:
        self.calls.append(("close", None))

    def _answer(self, method: str, timeout: float | None) -> None:
        self.calls.append((method, timeout))
        if not self._hung.is_set():
            return
        if timeout is None:  # a real client would wait forever: fail the test instead
            raise AssertionError(f"{method} called without a deadline on a hung server")
        time.sleep(timeout)
        raise GrpcDeadlineExceededError(f"{method}: deadline of {timeout} s exceeded")

    def _check_version(
        self, name: str, stream: list[RecordedEvent], expected: int | StreamState
    ) -> None:
        actual = stream[-1].stream_position if stream else StreamState.NO_STREAM
        if expected is StreamState.ANY or (expected is StreamState.EXISTS and stream):
            return
        if expected != actual:
            raise WrongCurrentVersionError(f"Stream {name!r}: version is {actual}, not {expected}")

    def _record(self, stream_name: str, version: int, new: NewEvent) -> RecordedEvent:
        position = self._next_position
        size = RECORD_HEADER_BYTES + len(stream_name) + len(new.type) + len(new.data)
        self._next_position += size + len(new.metadata)
        recorded = RecordedEvent(
            type=new.type,
            data=new.data,
            metadata=new.metadata,
            content_type=new.content_type,
            id=new.id,
            stream_name=stream_name,
            stream_position=version,
            commit_position=position,
            prepare_position=position,
            recorded_at=datetime.now(UTC),
        )
        self._log.append(recorded)
        self._positions.add(position)
        return recorded

    def _from(self, position: int | None, backwards: bool) -> list[RecordedEvent]:
        if position not in (None, 0) and position not in self._positions:
            raise InvalidCommitPositionError(f"no event at commit position {position}")
        if backwards:
            before = self._next_position if position is None else position
            return [e for e in reversed(self._log) if e.commit_position < before]
        start = position or 0
        return [e for e in self._log if e.commit_position >= start]


def _system() -> NewEvent:
    return NewEvent(type="$statsCollected", data=b'{"proc": {}}', id=uuid4())
