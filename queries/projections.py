"""Projection status: where each read model is and how far behind the log it runs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pydantic import BaseModel


class ProjectionPositions(Protocol):
    names: list[str]

    def position(self, name: str) -> int: ...

    def head(self) -> int: ...

    def lag(self, name: str) -> tuple[int, float]: ...


class ProjectionStatus(BaseModel):
    name: str
    position: int
    head: int
    lag_events: int
    lag_seconds: float


@dataclass(frozen=True)
class ListProjections:
    read_models: ProjectionPositions

    def __call__(self) -> list[ProjectionStatus]:
        head = self.read_models.head()
        statuses = []
        for name in self.read_models.names:
            position = self.read_models.position(name)
            behind, seconds = self.read_models.lag(name)  # counted: positions are opaque
            statuses.append(
                ProjectionStatus(
                    name=name, position=position, head=head, lag_events=behind, lag_seconds=seconds
                )
            )
        return statuses
