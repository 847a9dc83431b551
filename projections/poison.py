"""Finding the one event a projection keeps failing on, and parking it so the rest goes on.

When a batch fails twice, the runner asks the guard to `isolate` the fault: it applies the
events after the view's position one at a time (so every good event before the fault
lands) up to the first that fails, whether its projector raises or its stored JSON does
not decode. That event is then counted only if the view's store answers a batch without
it (an empty batch: a round trip that writes nothing), because a store that is down fails
every event alike and must not make a good event look poisoned. Once the same event has
been counted `max_attempts` times it is parked: recorded as a dead letter, and the view's
position moved past it, so later events reach the view.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from eventsourcing.persistence import Notification

from eventstore.dead_letters import DeadLetters, Strikes
from eventstore.log import EventLog, Logged
from projections.core import ProjectionView

log = logging.getLogger(__name__)


def stored_after(
    log_: EventLog, after: int, limit: int, topics: Sequence[str]
) -> list[Notification]:
    """The stored events after `after` that `topics` follow, undecoded (up to `limit`)."""
    wanted = frozenset(topics) if topics else log_.known_topics
    head = log_.head()
    found = log_.store.recorder.select_notifications(
        start=after, limit=limit, stop=head, topics=sorted(wanted), inclusive_of_start=False
    )
    # Trimmed like EventLog's reads: KurrentDB may return one past `stop`, and its topic
    # filter is a regex that can match more than asked.
    return [n for n in found if n.id <= head and n.topic in wanted][:limit]


def decoded(log_: EventLog, stored: Notification) -> Logged:
    return Logged(stored.id, log_.store.mapper.to_domain_event(stored))


class PoisonGuard:
    """Counts failures per event and parks an event that failed `max_attempts` times."""

    def __init__(
        self,
        log_: EventLog,
        dead_letters: DeadLetters,
        max_attempts: int,
        clock: Callable[[], datetime],
        batch_size: int = 1000,
    ) -> None:
        self.log = log_
        self.dead_letters = dead_letters
        self.max_attempts = max_attempts
        self.clock = clock
        self.batch_size = batch_size
        self.strikes: dict[str, Strikes] = {}  # per projection

    def passed(self, name: str, position: int) -> None:
        """`name` is at `position`: a suspect at or before it went through after all."""
        strikes = self.strikes.get(name)
        if strikes and strikes.suspect is not None and strikes.suspect.position <= position:
            strikes.clear()

    def isolate(self, view: ProjectionView, after: int) -> bool:
        """Apply the events after `after` one at a time up to the first that fails, and
        count that one against it. True when it was parked (the view went past it)."""
        for stored in stored_after(self.log, after, self.batch_size, view.projector.topics):
            try:
                if not view.apply([decoded(self.log, stored)], after, stored.id):
                    return False  # the live generation moved: the runner reads it again
            except Exception as error:
                if not self._store_answers(view, after):
                    return False  # the store is down: no event is to blame
                return self._count(view, stored, after, error)
            after = stored.id
            self.passed(view.name, after)
        return False

    def _store_answers(self, view: ProjectionView, after: int) -> bool:
        try:
            view.apply([], after, after)
        except Exception:
            log.warning("projection %s: its store fails too", view.name, exc_info=True)
            return False
        return True

    def _count(
        self, view: ProjectionView, stored: Notification, after: int, error: Exception
    ) -> bool:
        label = f"projection {view.name}"
        strikes = self.strikes.setdefault(view.name, Strikes(label, self.max_attempts, self.clock))
        if not strikes.count(stored, error):
            return False
        self._park(view, stored, after, strikes, error)
        return True

    def _park(
        self,
        view: ProjectionView,
        stored: Notification,
        after: int,
        strikes: Strikes,
        error: Exception,
    ) -> None:
        # Recorded before the position moves: a crash in between parks it again (the same
        # row), never leaves an event skipped without a record.
        letter = strikes.letter(view.name, stored, error)
        letter_id = self.dead_letters.park(letter)
        view.apply([], after, stored.id)
        strikes.clear()
        log.error(
            "projection %s parked event %s (%s %s v%s) as dead letter %d: %s",
            view.name,
            stored.id,
            stored.topic,
            stored.originator_id,
            stored.originator_version,
            letter_id,
            letter.error,
        )
