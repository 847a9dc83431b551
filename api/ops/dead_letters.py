"""The dead letter list the /ops routes read: the read side's `dead_letters` table.

A dependency of its own, like the workers, so the routes see the list and nothing else of
the read models.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Request

from eventstore.dead_letters import DeadLetter


class DeadLetterList(Protocol):
    def listed(self) -> list[DeadLetter]: ...


async def get_dead_letters(request: Request) -> DeadLetterList:
    letters: DeadLetterList = request.app.state.read_models.dead_letters
    return letters


DeadLettersDep = Annotated[DeadLetterList, Depends(get_dead_letters)]
