"""Shapes shared by both APIs: the error envelope and a write's acknowledgement."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class StrictBody(BaseModel):
    """Base of every request body: unknown fields refused, no type coercion."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. `unknown_product`.")
    message: str = Field(description="What went wrong, for humans.")
    details: list[dict[str, Any]] | None = Field(
        None, description="Per-field problems of a request that failed validation."
    )
    lag: int | None = Field(None, description="Events the projection is behind (503 only).")
    lag_seconds: float | None = Field(None, description="Age of its oldest unapplied event.")


class ErrorBody(BaseModel):
    """Every 4xx/5xx answer: `{"error": {"code": ..., "message": ...}}`."""

    error: ErrorDetail


class Written(BaseModel):
    """A command was applied; `position` is the log position of its last event."""

    stream_id: str = Field(description="The stream the command wrote to.")
    version: int = Field(description="The stream's version after the command.")
    position: int = Field(description="Pass as `?min_position=` to read your own write.")
    changed: bool = Field(description="False when the command repeated one already applied.")
