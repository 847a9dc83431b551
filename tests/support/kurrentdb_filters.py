"""The KurrentDB model's server-side filters and catch-up subscriptions.

Filters are the regexes kurrentdbclient builds, searched as the server does; include wins
over exclude (https://docs.kurrent.io/clients/grpc/subscriptions.html#server-side-filtering).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from kurrentdbclient import RecordedEvent
from kurrentdbclient.common import (
    construct_filter_exclude_regex,
    construct_filter_include_regex,
)

if TYPE_CHECKING:
    from tests.support.kurrentdb_model import KurrentDBModel


class ModelSubscription(Iterator[RecordedEvent]):
    """Events after `position`, waiting for new ones, until `stop()`."""

    def __init__(
        self,
        model: KurrentDBModel,
        position: int | None,
        exclude: Sequence[str],
        include: Sequence[str],
    ) -> None:
        self._model, self._after = model, position
        self._matches = matcher(exclude, include, False, False)
        self._stopped = False

    def __next__(self) -> RecordedEvent:
        while not self._stopped:
            with self._model._changed:
                log = self._model._log
                after = -1 if self._after is None else self._after
                found = next(
                    (e for e in log if e.commit_position > after and self._matches(e)), None
                )
                if found is None:
                    self._model._changed.wait(0.05)
                    continue
            self._after = found.commit_position
            return found
        raise StopIteration

    def stop(self) -> None:
        self._stopped = True


def matcher(
    exclude: Sequence[str], include: Sequence[str], by_stream: bool, by_prefix: bool
) -> Any:
    """The server's filter: include wins over exclude; no filter at all matches every event."""
    if by_prefix:
        return lambda e: (e.stream_name if by_stream else e.type).startswith(tuple(include))
    if not include and not exclude:
        return lambda e: True
    pattern = construct_filter_include_regex(include) if include else None
    regex = re.compile(pattern or construct_filter_exclude_regex(exclude))
    return lambda e: regex.search(e.stream_name if by_stream else e.type) is not None
