"""Failed logins per email, counted in the state database that every API process shares.

An attempt is written down *before* its password is checked, and kept if the check fails:
so N attempts racing through N processes are counted exactly, and the attempt after
`max_failures` failures within the window is refused (429) without a check, until the
oldest of them leaves the window. A refused attempt is not counted (it checked nothing),
and a successful login forgets the email's failures. Rows are keyed by the SHA-256 of the
normalised email. Rows older than the window are deleted: an email's as it is used, and
everyone's at every PRUNE_EVERY-th attempt (so emails tried once do not pile up).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import sqlalchemy as sa

from commands.ports import Clock
from commands.sessions.tables import LOGIN_FAILURES, create_tables

WINDOW_S = 15 * 60
PRUNE_EVERY = 100


class TooManyFailures(Exception):
    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed logins for this email; retry in {retry_after_s} s")
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Attempt:
    email_key: str
    attempt_id: int


def email_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


class LoginThrottle:
    def __init__(
        self, engine: sa.Engine, max_failures: int, clock: Clock, window_s: int = WINDOW_S
    ) -> None:
        self.engine, self.clock = engine, clock
        self.max_failures, self.window_s = max_failures, window_s

    def create_tables(self) -> None:
        create_tables(self.engine)

    def begin(self, email: str) -> Attempt:
        """Count an attempt for `email`; raises `TooManyFailures` if it is one too many."""
        now = self.clock().timestamp()
        since = now - self.window_s
        attempt = self._record(email_key(email), now, since)
        earlier = self._earlier(attempt, since)
        if len(earlier) >= self.max_failures:
            self.forget(attempt)
            oldest = earlier[-self.max_failures]  # the one whose leaving lets a try in
            raise TooManyFailures(max(1, math.ceil(oldest + self.window_s - now)))
        return attempt

    def _record(self, key: str, now: float, since: float) -> Attempt:
        with self.engine.begin() as conn:
            inserted = conn.execute(LOGIN_FAILURES.insert().values(email_key=key, failed_at=now))
            (attempt_id,) = inserted.inserted_primary_key or (0,)
            old = LOGIN_FAILURES.c.failed_at <= since
            if attempt_id % PRUNE_EVERY:
                old = old & (LOGIN_FAILURES.c.email_key == key)
            conn.execute(LOGIN_FAILURES.delete().where(old))
        return Attempt(key, int(attempt_id))

    def _earlier(self, attempt: Attempt, since: float) -> list[float]:
        """When the attempts before this one failed (or began), oldest first."""
        query = (
            sa.select(LOGIN_FAILURES.c.failed_at)
            .where(
                LOGIN_FAILURES.c.email_key == attempt.email_key,
                LOGIN_FAILURES.c.failed_at > since,
                LOGIN_FAILURES.c.attempt_id < attempt.attempt_id,
            )
            .order_by(LOGIN_FAILURES.c.failed_at)
        )
        with self.engine.connect() as conn:
            return [float(at) for at in conn.execute(query).scalars()]

    def forget(self, attempt: Attempt) -> None:
        """An attempt that was not a failure after all (refused unchecked)."""
        with self.engine.begin() as conn:
            conn.execute(
                LOGIN_FAILURES.delete().where(LOGIN_FAILURES.c.attempt_id == attempt.attempt_id)
            )

    def succeeded(self, attempt: Attempt) -> None:
        """The password was right: the email's failures are forgotten."""
        with self.engine.begin() as conn:
            conn.execute(
                LOGIN_FAILURES.delete().where(LOGIN_FAILURES.c.email_key == attempt.email_key)
            )
