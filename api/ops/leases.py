"""Who holds which unit of work: the lease table, as the /ops routes read it.

Read through the query groups (`app.read_side.Queries.leases`): rows of `shop_leases`
with the unit, holder, epoch and seconds left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request

LeaseRows = Callable[[], list[dict[str, Any]]]


async def get_leases(request: Request) -> LeaseRows:
    rows: LeaseRows = request.app.state.queries.leases
    return rows


LeasesDep = Annotated[LeaseRows, Depends(get_leases)]
