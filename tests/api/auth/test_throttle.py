"""The failed-login count against a clock: the window, Retry-After, and what is forgotten."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from commands.sessions import LoginThrottle, TooManyFailures
from commands.sessions.throttle import WINDOW_S


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttle(container, clock) -> LoginThrottle:
    made = LoginThrottle(container.read_models.dead_letters.engine, 3, clock)
    made.create_tables()
    return made


def fail(throttle: LoginThrottle, clock: Clock, email: str, times: int, every_s: float) -> None:
    for _ in range(times):
        throttle.begin(email)  # never `succeeded`: a failure
        clock.advance(every_s)


def test_retry_after_counts_down_to_the_oldest_failure_leaving_the_window(throttle, clock):
    fail(throttle, clock, "ada@example.com", 3, every_s=60)  # at 0, 60 and 120 s; now 180

    with pytest.raises(TooManyFailures) as refused:
        throttle.begin("ada@example.com")

    assert refused.value.retry_after_s == WINDOW_S - 180
    clock.advance(refused.value.retry_after_s - 1)
    with pytest.raises(TooManyFailures) as again:
        throttle.begin("ada@example.com")
    assert again.value.retry_after_s == 1
    clock.advance(1)
    throttle.begin("ada@example.com")  # the first failure has left the window


def test_refused_attempts_do_not_extend_the_lock(throttle, clock):
    fail(throttle, clock, "ada@example.com", 3, every_s=1)
    for _ in range(10):
        with pytest.raises(TooManyFailures):
            throttle.begin("ada@example.com")
        clock.advance(60)

    clock.advance(WINDOW_S - 600)

    throttle.begin("ada@example.com")


def test_the_count_is_per_email_normalised(throttle, clock):
    fail(throttle, clock, " Ada@Example.COM", 3, every_s=1)

    with pytest.raises(TooManyFailures):
        throttle.begin("ada@example.com")
    throttle.begin("bob@example.com")


def test_a_success_forgets_the_emails_failures(throttle, clock):
    fail(throttle, clock, "ada@example.com", 2, every_s=1)
    throttle.succeeded(throttle.begin("ada@example.com"))

    fail(throttle, clock, "ada@example.com", 3, every_s=1)
