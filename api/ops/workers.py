"""The worker processes the embedded server supervises, as its supervisor sees them.

The server that runs children puts its supervisor's `status` on `app.state.workers`: one
row per child, `{name, pid, alive, restarts, since, last_exit, command, url}`. An app
that supervises nothing (the split APIs) has none and reports an empty list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

WorkerRows = Callable[[], list[dict[str, Any]]]


def no_workers() -> list[dict[str, Any]]:
    return []


async def get_workers(request: Request) -> WorkerRows:
    rows: WorkerRows = getattr(request.app.state, "workers", no_workers)
    return rows


WorkersDep = Annotated[WorkerRows, Depends(get_workers)]


def down_reasons(rows: list[dict[str, Any]]) -> list[str]:
    """What /ready says about each supervised worker that is not running."""
    return [
        f"worker {row['name']} is down (last exit {row['last_exit']}, restart pending)"
        for row in rows
        if not row["alive"]
    ]
