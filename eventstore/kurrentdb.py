"""The shop's KurrentDB (EventStoreDB) persistence: eventsourcing-kurrentdb with deadlines.

`PERSISTENCE_MODULE=eventstore.kurrentdb:ShopKurrentDBFactory` (set by `app.backends`).
It differs from the library's factory in two ways:

- Every unary call carries a gRPC deadline. kurrentdbclient has no default deadline for
  reads, and its URI's `DefaultDeadline` covers writes only; without one, a server that
  stops answering hangs the caller (an API worker, a projector) forever.
- Its recorder can read the newest events backwards, the one way to find "the last N"
  on a log whose positions are byte offsets that no arithmetic may produce.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from eventsourcing.persistence import ApplicationRecorder, InfrastructureFactory, Notification
from eventsourcing_kurrentdb import KurrentDBFactory
from eventsourcing_kurrentdb.recorders import KurrentDBApplicationRecorder
from kurrentdbclient import KurrentDBClient

DEFAULT_DEADLINE_S = 10.0
# The calls the recorder and we make that end by themselves. `subscribe_to_all` is left
# without one on purpose: a catch-up subscription lives as long as its follower.
_UNARY_CALLS = frozenset(
    {"append_events", "read_stream", "read_all", "get_current_version", "get_commit_position"}
)


def deadline_from_uri(uri: str) -> float:
    """The URI's `DefaultDeadline` (seconds, any case), else `DEFAULT_DEADLINE_S`."""
    for key, value in parse_qsl(urlsplit(uri).query):
        if key.lower() == "defaultdeadline":
            return float(value)
    return DEFAULT_DEADLINE_S


class DeadlineClient:
    """A kurrentdbclient client whose unary calls default to `timeout=deadline_s`."""

    def __init__(self, client: Any, deadline_s: float) -> None:
        self.client = client
        self.deadline_s = deadline_s

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if name not in _UNARY_CALLS:
            return method

        def with_deadline(*args: Any, **kwargs: Any) -> Any:
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = self.deadline_s
            return method(*args, **kwargs)

        return with_deadline


class ShopKurrentDBRecorder(KurrentDBApplicationRecorder):
    """The library's recorder, plus the newest events read backwards."""

    def select_last(self, limit: int, topics: Sequence[str]) -> list[Notification]:
        """Up to `limit` of the newest events whose type is one of `topics`, newest first.

        One grouped pattern, so the server anchors every alternative (the client joins
        several patterns as `^a|b$`, which leaves the middle ones unanchored).
        """
        if not topics:
            return []
        exact = "(?:" + "|".join(re.escape(topic) for topic in topics) + ")"
        recorded = self.client.read_all(backwards=True, filter_include=[exact], limit=limit)
        return [self.construct_notification(event) for event in recorded]


class ShopKurrentDBFactory(KurrentDBFactory):
    """The library's factory with a deadline on each call and `ShopKurrentDBRecorder`."""

    def __init__(self, env: Any) -> None:
        # Not the library's __init__: it builds a client without deadlines.
        InfrastructureFactory.__init__(self, env)
        uri = self.env.get(self.KURRENTDB_URI)
        if not uri:
            raise ValueError(f"{self.KURRENTDB_URI} is not set")
        root_certificates = self.env.get(self.KURRENTDB_ROOT_CERTIFICATES)
        self.client = DeadlineClient(  # type: ignore[assignment]
            self.connect(uri, root_certificates), deadline_from_uri(uri)
        )

    def connect(self, uri: str, root_certificates: str | None) -> Any:
        """The underlying client (a test double overrides this)."""
        return KurrentDBClient(uri=uri, root_certificates=root_certificates)

    def application_recorder(self) -> ApplicationRecorder:
        return ShopKurrentDBRecorder(self.client)

    def close(self) -> None:
        self.client.close()
