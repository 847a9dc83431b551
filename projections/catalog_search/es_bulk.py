"""Writing one batch of catalog documents to Elasticsearch: all of them, or an error.

Bulk answers 200 even when items fail; each item carries its own status. A batch whose
documents did not all land must not move the view's position, so every failure raises,
except two that are not failures of ours:

- 409 `version_conflict_engine_exception`: every document is written with
  `version_type=external` and the log position as its version, so a 409 means the index
  already holds this version or a newer one (a replay, a second runner). Keeping it is
  the point of external versions.
- 429 `es_rejected_execution_exception`: the node is busy. The rejected items are sent
  again, after a wait that doubles each time, and fail the batch only when the retries
  run out (the runner then retries the whole batch later, from the same position).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch, helpers


@dataclass(frozen=True)
class BulkRetry:
    """How long one batch waits out 429s: `attempts` resends of the rejected items, the
    first after `initial_s`, each later one after twice the previous, at most `max_s`
    (with the defaults: 0.5 + 1 + 2 + 4 + 8 s)."""

    attempts: int = 5
    initial_s: float = 0.5
    max_s: float = 8.0


def write_documents(
    client: Elasticsearch, actions: Iterable[dict[str, Any]], retry: BulkRetry
) -> None:
    """Index `actions`, visible to search on return; raise `BulkIndexError` with the items
    that failed for good (anything but a 409 on an external version)."""
    # raise_on_error=False is what lets the helper resend 429s: with True it raises at the
    # end of the first chunk that has any failed item, before its retry loop sees them.
    # Every item still comes back to us, failed ones as (False, item), and is judged here.
    results = helpers.streaming_bulk(
        client,
        actions,
        raise_on_error=False,
        max_retries=retry.attempts,
        initial_backoff=retry.initial_s,
        max_backoff=retry.max_s,
        yield_ok=False,
        refresh=True,
    )
    failed = [item for ok, item in results if not ok and not superseded(item)]
    if failed:
        raise helpers.BulkIndexError(f"{len(failed)} document(s) failed to index", failed)


def superseded(item: dict[str, Any]) -> bool:
    """A 409 on an externally versioned write: the index already holds this version or a
    newer one, which is the state the write wanted."""
    [(_op, result)] = item.items()
    error = result.get("error") or {}
    return result.get("status") == 409 and error.get("type") == "version_conflict_engine_exception"
