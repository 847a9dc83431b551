"""with_retries: transient carrier failures are retried with doubling, capped delays."""

from __future__ import annotations

import pytest

from commands.carrier import TransientCarrierError, with_retries


class Flaky:
    def __init__(self, failures: int) -> None:
        self.failures, self.calls = failures, 0

    def __call__(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise TransientCarrierError(f"outage {self.calls}")
        return "answer"


def test_a_call_that_recovers_is_answered_after_doubling_delays() -> None:
    call, slept = Flaky(failures=3), []

    assert with_retries(call, base_delay_s=0.1, sleep=slept.append) == "answer"

    assert call.calls == 4
    assert slept == [0.1, 0.2, 0.4]


def test_delays_are_capped() -> None:
    slept: list[float] = []

    with_retries(Flaky(failures=4), base_delay_s=0.5, max_delay_s=1.0, sleep=slept.append)

    assert slept == [0.5, 1.0, 1.0, 1.0]


def test_the_last_failure_is_raised_when_every_attempt_fails() -> None:
    call = Flaky(failures=10)

    with pytest.raises(TransientCarrierError, match="outage 3"):
        with_retries(call, attempts=3, sleep=lambda _: None)

    assert call.calls == 3


def test_other_errors_are_not_retried() -> None:
    calls = []

    def broken() -> None:
        calls.append(1)
        raise ValueError("a bug")

    with pytest.raises(ValueError, match="a bug"):
        with_retries(broken, sleep=lambda _: None)

    assert calls == [1]
