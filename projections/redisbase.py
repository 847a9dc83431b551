"""Redis plumbing for views: generations under a key prefix, batches in WATCH + MULTI/EXEC.

Keys: `<ns>:<view>:g<N>:<kind>:<id>` hold JSON documents; `<ns>:<view>:live` names the
live generation (the pointer a rebuild flips with one SET); `<ns>:tracking:<view>` is a
hash generation -> position; `<ns>:parked:<view>` is the set of `<generation>:<position>`
of parked events applied later (`apply_parked`). A batch WATCHes the tracking hash, reads
the position and the documents, and writes documents and position in one MULTI/EXEC: a
concurrent writer makes EXEC fail and the batch is retried, so every event lands exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis

from eventstore.log import Logged
from projections.core import Docs, Key, ProjectionView, fold, fresh_events
from projections.sqlstore import dumps, loads


class RedisView(ProjectionView):
    """Base of the Redis views; `namespace` isolates tests and deployments sharing a server."""

    def __init__(self, client: redis.Redis, namespace: str = "rm") -> None:
        self.client = client
        self.ns = namespace

    @property
    def tracking_key(self) -> str:
        return f"{self.ns}:tracking:{self.name}"

    @property
    def live_key(self) -> str:
        return f"{self.ns}:{self.name}:live"

    @property
    def parked_key(self) -> str:
        return f"{self.ns}:parked:{self.name}"

    def doc_key(self, generation: int, kind: str, key: str) -> str:
        return f"{self.ns}:{self.name}:g{generation}:{kind}:{key}"

    def ensure(self) -> None:
        if self.live_generation() == 0:
            generation = self.create_generation()
            if self.client.setnx(self.live_key, generation) == 0:  # lost a race: tidy up
                self.drop_generation(generation)

    def live_generation(self) -> int:
        return int(self.client.get(self.live_key) or 0)

    def generations(self) -> list[int]:
        return sorted(int(g) for g in self.client.hkeys(self.tracking_key))

    def position(self, generation: int | None = None) -> int:
        generation = generation or self.live_generation()
        return int(self.client.hget(self.tracking_key, str(generation)) or 0)

    def create_generation(self) -> int:
        generation = int(self.client.incr(f"{self.ns}:{self.name}:generations"))
        self.client.hset(self.tracking_key, str(generation), 0)
        return generation

    def switch(self, generation: int) -> None:
        self.client.set(self.live_key, generation)

    def drop_generation(self, generation: int) -> None:
        pattern = self.doc_key(generation, "*", "*").rsplit(":", 2)[0] + ":*"
        batch: list[Any] = []
        for key in self.client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                self.client.unlink(*batch)
                batch.clear()
        if batch:
            self.client.unlink(*batch)
        self.client.hdel(self.tracking_key, str(generation))

    def apply(
        self, events: Sequence[Logged], after: int, upto: int, generation: int | None = None
    ) -> bool:
        with self.client.pipeline() as pipe:
            while True:
                try:
                    return self._apply(pipe, events, after, upto, generation)
                except redis.WatchError:
                    continue  # another writer moved first: read again, apply the rest

    def _apply(
        self, pipe: Any, events: Sequence[Logged], after: int, upto: int, generation: int | None
    ) -> bool:
        pipe.watch(self.tracking_key, self.live_key)
        generation = generation or int(pipe.get(self.live_key) or 0)
        stored = int(pipe.hget(self.tracking_key, str(generation)) or 0)
        if stored < after:
            pipe.unwatch()
            return False
        fresh = fresh_events(events, stored)
        docs = fold(self.projector, fresh, lambda keys: self._load(pipe, generation, keys))
        pipe.multi()
        self._write(pipe, generation, docs)
        pipe.hset(self.tracking_key, str(generation), max(stored, upto))
        pipe.execute()
        return True

    def _write(self, pipe: Any, generation: int, docs: Docs) -> None:
        """The batch's documents in one MSET: a command per document cost more to pack
        and parse than Redis spends storing it."""
        changed = docs.changed_docs()
        if changed:
            prefix = self.doc_key(generation, "", "")[:-1]
            pipe.mset({f"{prefix}{kind}:{key}": dumps(doc) for (kind, key), doc in changed.items()})

    def _load(self, pipe: Any, generation: int, keys: set[Key]) -> dict[Key, Any]:
        ordered = sorted(keys)
        values = pipe.mget([self.doc_key(generation, kind, key) for kind, key in ordered])
        return {k: loads(v) for k, v in zip(ordered, values, strict=True) if v is not None}

    def apply_parked(self, logged: Logged, generation: int | None = None) -> bool:
        with self.client.pipeline() as pipe:
            while True:
                try:
                    return self._apply_parked(pipe, logged, generation)
                except redis.WatchError:
                    continue

    def _apply_parked(self, pipe: Any, logged: Logged, generation: int | None) -> bool:
        pipe.watch(self.tracking_key, self.live_key, self.parked_key)
        generation = generation or int(pipe.get(self.live_key) or 0)
        stored = int(pipe.hget(self.tracking_key, str(generation)) or 0)
        marker = f"{generation}:{logged.position}"
        if stored < logged.position or pipe.sismember(self.parked_key, marker):
            pipe.unwatch()
            return False
        docs = fold(self.projector, [logged], lambda keys: self._load(pipe, generation, keys))
        pipe.multi()
        self._write(pipe, generation, docs)
        pipe.sadd(self.parked_key, marker)
        # Writing the position back unchanged fails the EXEC of a batch that read the
        # documents before ours (it WATCHes the tracking hash): it reads them again.
        pipe.hset(self.tracking_key, str(generation), stored)
        pipe.execute()
        return True

    def snapshot(self, generation: int | None = None) -> tuple[int, dict[str, Any]]:
        """Read every document, retrying until no batch committed while reading."""
        while True:
            generation = generation or self.live_generation()
            before = self.position(generation)
            prefix = self.doc_key(generation, "", "")[:-2]
            keys = sorted(self.client.scan_iter(match=prefix + ":*", count=1000))
            rows = {}
            for start in range(0, len(keys), 1000):
                chunk = keys[start : start + 1000]
                for key, value in zip(chunk, self.client.mget(chunk), strict=True):
                    if value is not None:
                        rows[_text(key)[len(prefix) + 1 :]] = _text(value)  # as stored
            if self.position(generation) == before:
                return before, rows

    def lookup(self, kind: str, key: str) -> dict[str, Any] | None:
        generation = self.live_generation()
        value = self.client.get(self.doc_key(generation, kind, key))
        return None if value is None else loads(value)

    def drop_everything(self) -> None:
        """Remove every key of this view's namespace (tests and decommissioning)."""
        keys = list(self.client.scan_iter(match=f"{self.ns}:*", count=1000))
        for start in range(0, len(keys), 1000):
            self.client.unlink(*keys[start : start + 1000])

    def close(self) -> None:
        self.client.close()


def _text(raw: bytes | str) -> str:
    """What redis-py answers: bytes, or str when the client decodes responses."""
    return raw.decode() if isinstance(raw, bytes) else raw
