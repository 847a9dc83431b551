"""What an operator does with parked events: list them, retry them after a fix, skip them.

A retry reads the event from the log again (so an upcaster or a corrected stored event
takes effect) and folds it into its projection's live view with `apply_parked`, which
applies it once however often it is retried. Success deletes the dead letter; failure
keeps it with one more attempt and the new error.

A `saga` dead letter parks an order, and the saga worker that owns it does the retry: the
desk hands the row back (status `retry`), the worker replays the parked event and the
order's later events within a second, deletes the row when they went through and parks it
again (one more attempt) when not. A skip un-parks the order without handling the event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from eventstore.dead_letters import FULFILMENT, PARKED, SAGA, DeadLetter, error_text
from eventstore.log import EventLog
from integration.parking import INTEGRATION
from notifications.consumer import NAME as NOTIFIER
from projections.poison import decoded
from projections.readmodels import ReadModels


class UnknownDeadLetter(LookupError):
    """No parked event has this id (never parked, retried already or skipped)."""


@dataclass(frozen=True)
class Retried:
    letter: DeadLetter
    ok: bool
    detail: str


class DeadLetterDesk:
    """The dead letters of one store's projections, and the operator's three actions."""

    def __init__(self, read_models: ReadModels, log: EventLog, clock: Callable[[], datetime]):
        self.read_models = read_models
        self.log = log
        self.clock = clock
        self.letters = read_models.dead_letters

    def listed(self) -> list[DeadLetter]:
        return self.letters.listed()

    def parked(self, letter_id: int) -> DeadLetter:
        letter = self.letters.get(letter_id)
        if letter is None or letter.status != PARKED:
            raise UnknownDeadLetter(f"no parked event has id {letter_id}")
        return letter

    def retry(self, letter_id: int) -> Retried:
        """Apply the parked event to its view now; the dead letter goes once it is in."""
        letter = self.parked(letter_id)
        if letter.consumer in (SAGA, FULFILMENT, INTEGRATION, NOTIFIER):  # its worker replays it
            self.letters.hand_back(letter_id)
            what = f"order {letter.order_id}" if letter.order_id else f"event {letter.position}"
            return Retried(letter, True, f"{what} handed back to the {letter.consumer}")
        try:
            detail = self._apply(letter)
        except Exception as error:
            self.letters.failed_again(letter_id, error, self.clock())
            return Retried(letter, False, error_text(error))
        self.letters.resolve(letter_id)
        return Retried(letter, True, detail)

    def retry_all(self) -> list[Retried]:
        return [self.retry(letter.id) for letter in self.listed() if letter.id is not None]

    def skip(self, letter_id: int) -> DeadLetter:
        """Never apply it; the row stays, marked skipped."""
        letter = self.parked(letter_id)
        self.letters.skip(letter_id)
        return letter

    def _apply(self, letter: DeadLetter) -> str:
        stored = self.log.stored_at(letter.position)
        view = self.read_models.view(letter.consumer)
        if view.apply_parked(decoded(self.log, stored)):
            return "applied"
        return "nothing to do: applied before, or its projection has not reached it yet"
