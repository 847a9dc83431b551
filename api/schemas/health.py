"""Answer of the health check."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    head: int = Field(description="Position of the newest event in the log.")
