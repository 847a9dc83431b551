"""Crash drill: the integration worker SIGKILLed at each step boundary in turn, then
restarted; counted at a real SMTP server and a real webhook receiver.

The log holds two orders that between them give every kind of customer notification, and
a webhook is subscribed to every event. A dry run in-process counts the step boundaries
of the relay (outbox appended), the webhooks (POSTed, outcome recorded) and the notifier
(messages recorded, claimed SENDING, sent over SMTP, marked SENT). Then, for each N, a
copy of that shop runs a forked `shop worker integration` that kills itself at boundary
N, and the relay, webhooks and notifier run again in-process, past the notifier's claim.
Every boundary on SQLite; on PostgreSQL, a sample spread over the run.

Nothing may be lost: every message SENT and at the SMTP server, every outbox event at the
receiver. Nothing may be sent twice, except in the documented at-least-once window: the
one message or delivery the receiving end had taken while its row was not yet SENT when
the process died. Such a copy carries the same Message-ID (the same X-Shop-Event-Id and
body) and comes once more at most.
"""

from __future__ import annotations

import shutil
import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import Settings
from tests.drills.integration_shop import MAIL_FROM, Ledger, later, prepare, run_to_completion
from tests.drills.integration_worker import fork_integration_worker, noted_points
from tests.notifications.smtp_server import SmtpServer
from tests.webhooks.receiver import Receiver, free_port, receiving

pytestmark = pytest.mark.slow
POSTGRES_SAMPLE = 5  # boundaries tried on PostgreSQL, spread over the whole run
# Boundaries passed once, at the start, by threads that race to be first: whichever comes
# second may fall after another thread's step, so neither is sure to be the one killed at.
ONCE = {"relay: outbox appended", "notifier: recorded"}


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving(port=free_port()) as listening:
        yield listening


class Counted:
    """The crash hook of the dry run: counts each kind of step boundary."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def __call__(self, point: str) -> None:
        self.seen[point] += 1


def forget(smtp: SmtpServer, receiver: Receiver) -> None:
    smtp.handler.received.clear()
    smtp.handler.per_id.clear()
    with receiver.lock:
        receiver.received.clear()


def arrived(receiver: Receiver) -> dict[str, list[bytes]]:
    """The bodies each event id arrived with."""
    bodies: dict[str, list[bytes]] = {}
    with receiver.lock:
        for request in receiver.received:
            bodies.setdefault(request.headers["X-Shop-Event-Id"], []).append(request.body)
    return bodies


Window = tuple[set[str], set[str]]  # Message-IDs, webhook event ids


def in_the_window(ledger: Ledger, smtp: SmtpServer, receiver: Receiver) -> Window:
    """What the receiving ends took while its row was not SENT: the at-least-once window."""
    mails = {m for m, (_, status) in ledger.notifications.items() if status == "SENDING"}
    posts = {e for e, status in ledger.deliveries.items() if status != "SENT"}
    return mails & set(smtp.handler.per_id), posts & set(arrived(receiver))


def check(
    ledger: Ledger, expected: Ledger, smtp: SmtpServer, receiver: Receiver, window: Window
) -> set[str]:
    """Nothing lost, nothing twice outside `window`; the ids that came twice."""
    mail_window, post_window = window
    assert ledger.kinds() == expected.kinds()
    assert ledger.statuses() == {"SENT"}
    per_id = smtp.handler.per_id
    assert set(per_id) == set(ledger.notifications)  # none lost
    twice = {message_id for message_id, count in per_id.items() if count > 1}
    assert twice <= mail_window, (twice, mail_window)
    assert max(per_id.values()) <= 2
    for message_id in twice:  # a copy: the same message, the same Message-ID
        copies = [m for m in smtp.handler.received if m["Message-ID"] == message_id]
        assert len({(m["To"], m["Subject"], str(m.get_body(("plain",)))) for m in copies}) == 1

    assert len(ledger.events) == len(set(ledger.events)) == len(expected.events)
    assert set(ledger.deliveries.values()) == {"SENT"}
    bodies = arrived(receiver)
    assert set(bodies) == set(ledger.events)  # none lost
    again = {event_id for event_id, sent in bodies.items() if len(sent) > 1}
    assert again <= post_window, (again, post_window)
    assert all(len(sent) <= 2 for sent in bodies.values())
    assert all(len(set(bodies[event_id])) == 1 for event_id in again)
    return twice | again


def kill_at(settings: Settings, points: Path, crash_after: int) -> None:
    worker = fork_integration_worker(settings, crash_after, points)
    worker.join(60)
    assert worker.exitcode == -signal.SIGKILL, (crash_after, worker.exitcode)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_an_integration_worker_killed_at_any_step_boundary_loses_and_repeats_nothing(
    backend: str, settings_for, tmp_path: Path, smtp: SmtpServer, receiver: Receiver
) -> None:
    def settings_at(name: str) -> Settings:
        data_dir = tmp_path / name
        settings = settings_for(backend, data_dir=data_dir, smtp_url=smtp.url, mail_from=MAIL_FROM)
        if backend == "sqlite":  # one prepared shop, copied for each run
            shutil.copytree(tmp_path / "template", data_dir)
        else:
            prepare(settings, receiver.url)
        return settings

    if backend == "sqlite":
        prepare(settings_for(backend, data_dir=tmp_path / "template"), receiver.url)
    counted = Counted()
    dry = settings_at("dry")
    run_to_completion(dry, counted)
    expected = Ledger.read(dry)
    check(expected, expected, smtp, receiver, (set(), set()))
    assert set(expected.kinds()) == {
        "order_confirmed",
        "order_cancelled",
        "shipment_shipped",
        "shipment_delivered",
        "return_approved",
        "return_rejected",
        "refund_issued",
    }
    total = sum(counted.seen.values())
    crashed_at: Counter[str] = Counter()
    repeated = 0
    chosen = range(1, total + 1)
    if backend == "postgres":
        chosen = range(1, total + 1, max(1, total // POSTGRES_SAMPLE))
    for point in chosen:
        forget(smtp, receiver)
        settings = settings_at(f"at-{point}")
        points = tmp_path / f"points-{point}.txt"
        kill_at(settings, points, point)
        noted = noted_points(points)
        assert len(noted) >= point, (point, noted)
        crashed_at[noted[-1]] += 1
        window = in_the_window(Ledger.read(settings), smtp, receiver)
        if noted[-1] == "notifier: sent over SMTP":  # killed inside the window
            assert window[0], point
        if noted[-1] == "webhooks: posted":
            assert window[1], point

        run_to_completion(settings, clock=later)  # the restart, after the claim ran out

        repeated += len(check(Ledger.read(settings), expected, smtp, receiver, window))
    print(f"{backend}: {total} boundaries {dict(counted.seen)}; crashed at {dict(crashed_at)}")
    print(f"{backend}: {repeated} copies, each in the at-least-once window")
    if backend == "sqlite":  # every step a message or POST goes through was a crash point
        assert set(crashed_at) >= set(counted.seen) - ONCE, crashed_at
