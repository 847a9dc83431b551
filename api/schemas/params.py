"""Query-string models: unknown parameters (typos) are refused, never silently ignored."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from queries.catalog import Sort
from queries.orders import OrderStatusName

MAX_POSITION = 2**62

MinPosition = Annotated[
    int | None,
    Field(
        ge=0,
        le=MAX_POSITION,
        description="Answer only once the read model has reached "
        "this log position (a write's `position`); 503 if it does not in time.",
    ),
]
Page = Annotated[int, Field(ge=1, le=10_000, description="1-based page number.")]
Size = Annotated[int, Field(ge=1, le=100, description="Items per page (at most 100).")]


class Consistency(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_position: MinPosition = None


class SearchParams(Consistency):
    q: Annotated[str, Field(max_length=200, description="Full-text query.")] = ""
    category: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    brand: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    min_price: Annotated[int, Field(ge=0, le=10**12)] | None = None
    max_price: Annotated[int, Field(ge=0, le=10**12)] | None = None
    in_stock: bool | None = None
    sort: Sort = "relevance"
    page: Page = 1
    size: Size = 20


class HistoryParams(Consistency):
    status: OrderStatusName | None = None
    page: Page = 1
    size: Size = 20
