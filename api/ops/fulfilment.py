"""What waits for an admin in fulfilment, as the /ops routes read it.

Read through the query groups (`app.read_side.Queries.fulfilment`): shipments ON_HOLD
(the carrier refused the label) and returns REQUESTED (awaiting approval).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

BacklogCounts = Callable[[], Any]


async def get_backlog(request: Request) -> BacklogCounts:
    counts: BacklogCounts = request.app.state.queries.fulfilment.backlog
    return counts


BacklogDep = Annotated[BacklogCounts, Depends(get_backlog)]
