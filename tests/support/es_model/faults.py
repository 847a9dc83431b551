"""What a test can make the model do that a busy or misused server does on its own."""

from __future__ import annotations

import threading
from collections import deque

from tests.support.es_model.state import EsError

REJECTED = (
    "rejected execution of coordinating operation [coordinating_and_primary_bytes=0, "
    "replica_bytes=0, all_bytes=0, coordinating_operation_bytes=0, max_coordinating_bytes=0]"
)


class Faults:
    def __init__(self) -> None:
        self._bulk_errors: deque[list[EsError]] = deque()  # per bulk request, per item
        self._meetings: dict[str, threading.Barrier] = {}

    def reject_items(self, count: int, requests: int = 1) -> None:
        """The first `count` items of each of the next `requests` bulk requests answer 429
        es_rejected_execution_exception, as when the write thread pool's queue or the
        indexing-pressure limit is full:
        https://www.elastic.co/docs/reference/elasticsearch/configuration-reference/thread-pool-settings
        https://www.elastic.co/docs/reference/elasticsearch/index-settings/pressure"""
        rejected = EsError(429, "es_rejected_execution_exception", REJECTED)
        self.fail_items(count, rejected, requests)

    def fail_items(self, count: int, error: EsError, requests: int = 1) -> None:
        """The first `count` items of each of the next `requests` bulk requests fail with
        `error`, e.g. a mapping conflict the projection's own documents would not cause."""
        self._bulk_errors.extend([[error] * count for _ in range(requests)])

    def next_bulk_errors(self) -> list[EsError]:
        return self._bulk_errors.popleft() if self._bulk_errors else []

    def meet(self, route: str, parties: int) -> None:
        """Hold the answers to the first `parties` requests whose "METHOD /path" starts
        with `route` until all of them are answered: each caller acts on what it was told
        while the others' answers are already settled, a race that happens every time."""
        self._meetings[route] = threading.Barrier(parties, timeout=10)

    def arrive(self, request: str) -> None:
        for route, barrier in list(self._meetings.items()):
            if request.startswith(route):
                if barrier.n_waiting + 1 >= barrier.parties:
                    self._meetings.pop(route, None)  # the last to arrive ends the meeting
                barrier.wait()
