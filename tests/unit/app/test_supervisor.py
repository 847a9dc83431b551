"""The supervisor's restart policy, with fake children and a hand-driven clock."""

from __future__ import annotations

from app.supervision import ChildProcess
from app.supervisor import Supervisor


class FakeChild(ChildProcess):
    def __init__(self, name: str) -> None:
        super().__init__(name, ["worker", name])
        self.code: int | None = None
        self.spawned = 0

    @property
    def pid(self) -> int | None:
        return 1000 + self.spawned

    def start(self) -> None:
        self.spawn()

    def spawn(self) -> None:
        self.spawned, self.code = self.spawned + 1, None

    def exit_code(self) -> int | None:
        return self.code

    def stop(self) -> None:
        self.code = 0


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def supervised(*names: str) -> tuple[Supervisor, list[FakeChild], Clock]:
    clock, children = Clock(), [FakeChild(name) for name in names]
    supervisor = Supervisor(children, backoff_s=0.5, max_backoff_s=2.0, stable_s=30, clock=clock)
    for watched in supervisor.watched:
        watched.child.start()
        supervisor._mark_up(watched)
    return supervisor, children, clock


def rows(supervisor: Supervisor) -> dict[str, dict]:
    return {row["name"]: row for row in supervisor.status()}


def test_a_dead_child_is_down_until_its_backoff_is_over_then_started_again() -> None:
    supervisor, (saga, projections), clock = supervised("saga", "projections")
    saga.code = -9

    supervisor.check()
    assert rows(supervisor)["saga"] | {"since": None} == {
        "name": "saga",
        "pid": None,
        "alive": False,
        "restarts": 0,
        "since": None,
        "last_exit": -9,
        "command": "shop worker saga",
        "url": None,
    }
    clock.now = 0.4
    supervisor.check()
    assert saga.spawned == 1

    clock.now = 0.5
    supervisor.check()
    assert (saga.spawned, projections.spawned) == (2, 1)
    assert rows(supervisor)["saga"]["alive"] is True
    assert rows(supervisor)["saga"]["restarts"] == 1


def test_the_backoff_doubles_up_to_its_cap_and_resets_after_a_stable_run() -> None:
    supervisor, (saga,), clock = supervised("saga")
    waits = []
    for _ in range(5):  # dies at once after each start
        saga.code = 1
        supervisor.check()
        died_at = clock.now
        while saga.spawned == len(waits) + 1:
            clock.now = round(clock.now + 0.1, 1)
            supervisor.check()
        waits.append(round(clock.now - died_at, 1))
    assert waits == [0.5, 1.0, 2.0, 2.0, 2.0]

    clock.now += 30  # ran stably
    saga.code = 1
    supervisor.check()
    clock.now += 0.5
    supervisor.check()
    assert rows(supervisor)["saga"]["alive"] is True


def test_when_a_child_fails_to_start_the_ones_started_are_stopped() -> None:
    class Failing(FakeChild):
        def start(self) -> None:
            raise RuntimeError("worker saga exited with 1; see its log")

    psp, saga = FakeChild("psp"), Failing("saga")
    supervisor = Supervisor([psp, saga])
    try:
        supervisor.start()
    except RuntimeError:
        pass
    else:
        raise AssertionError("the failure was swallowed")
    assert psp.code == 0  # stopped
