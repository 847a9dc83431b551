"""Request ids of keyed receipts and adjustments: a retry is a no-op, a reused key a refusal.

Receipts and adjustments are not idempotent by nature (each one adds), so the API derives
a request id from the caller's `Idempotency-Key` and the item keeps, per id, the values
it was applied with and the version it gave the stream: `[values, version]`, lists
rather than tuples because snapshots store JSON.
"""

from __future__ import annotations

from typing import Any

from domain.shared.base import IdempotencyKeyReused

Ledger = dict[str, list[Any]]


def without_request_id(state: dict[str, Any]) -> None:
    """Upcast a receipt or adjustment stored before requests carried an id (v1 -> v2)."""
    state["request_id"] = None


def ledger_of(item: Any) -> Ledger:
    """The item's ledger; made on first use, as snapshots taken before it existed lack it."""
    return item.__dict__.setdefault("requests", {})  # type: ignore[no-any-return]


def applied_version(ledger: Ledger, request_id: str | None, values: Any) -> int | None:
    """The version `request_id` gave the stream, or None if it is new (or absent).

    `values` is a receipt's quantity or an adjustment's `[delta, reason]`; the same id
    with other values is a reused key, refused rather than taken for a repeat.
    """
    if request_id is None or request_id not in ledger:
        return None
    applied, version = ledger[request_id]
    if applied != values:
        raise IdempotencyKeyReused(f"request {request_id} was applied with other values")
    return int(version)
