"""The first deploy: an API and five workers started at the same instant on an empty store.

Every process migrates at start under the migration lock (`SHOP_CREATE_TABLES` defaults
to true), so they take turns instead of racing each other's DDL. Each trial starts
`shop serve command`, two `shop worker saga` and three `shop worker projections`, waits
until each is up (the API answers /health, each worker its /metrics, served once its store
is migrated and its runner built), two seconds more, checks that none died, then SIGTERMs
them all: each must exit 0. Three trials per backend by default, ten
with SHOP_DRILL_FULL=1. On PostgreSQL the schema does not exist before the trial.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import httpx
import psycopg
import pytest

from bench.server import free_port
from tests.drills.conftest import FULL
from tests.support.services import require_postgres

SHOP = str(Path(sys.executable).with_name("shop"))
TRIALS = 10 if FULL else 3
STAY_UP_S = 2.0  # after every process is up: a late failure of its start shows here
WORKERS = [["worker", "saga"]] * 2 + [["worker", "projections"]] * 3


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        "SHOP_DATA_DIR": str(tmp_path / "var"),
        "SHOP_JWT_SECRET": "first-deploy-" + "x" * 40,
        "SHOP_LOG_LEVEL": "WARNING",
        "SHOP_EVENT_STORE": request.param,
    }
    if request.param == "sqlite":
        yield env
        return
    dsn = require_postgres()
    schema = f"t_{uuid4().hex[:12]}"  # not created here: the migration must create it
    read_url = dsn.replace("postgresql://", "postgresql+psycopg://", 1)
    yield env | {
        "SHOP_POSTGRES_DSN": dsn,
        "SHOP_POSTGRES_SCHEMA": schema,
        "SHOP_READ_DB_URL": f"{read_url}?options=-csearch_path%3D{schema}",
    }
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


class Process:
    """One `shop ...` process of the trial, with its log and the URL that says it is up."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log_dir: Path) -> None:
        port = free_port()
        if args[0] == "serve":
            args, self.probe = [*args, "--port", str(port)], f"http://127.0.0.1:{port}/health"
        else:  # a worker serves /metrics once its store is migrated and its runner built
            env, self.probe = (
                env | {"SHOP_METRICS_PORT": str(port)},
                f"http://127.0.0.1:{port}/metrics",
            )
        self.name, self.log = name, log_dir / f"{name}.log"
        with self.log.open("wb") as log:
            self.popen = subprocess.Popen(
                [SHOP, *args], env=os.environ | env, stdout=log, stderr=subprocess.STDOUT
            )

    def up(self) -> bool:
        try:
            return httpx.get(self.probe, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def tail(self) -> str:
        return f"--- {self.name} (exit {self.popen.poll()})\n{self.log.read_text()[-1500:]}"


def wait_until_up(processes: list[Process], timeout_s: float) -> set[str]:
    """Names of the processes that never came up (or died first)."""
    deadline, waiting = time.monotonic() + timeout_s, list(processes)
    while waiting and time.monotonic() < deadline:
        waiting = [p for p in waiting if p.popen.poll() is None and not p.up()]
        time.sleep(0.1)
    return {p.name for p in waiting}


def stop_all(processes: list[Process], timeout_s: float = 30) -> dict[str, int]:
    """One SIGTERM each, all at once (a second one could land while the interpreter is
    finalizing, when Python's handler is gone), then each exit status (-9: killed late)."""
    for process in processes:
        if process.popen.poll() is None:
            process.popen.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + timeout_s
    for process in processes:
        try:
            process.popen.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()
    return {p.name: int(p.popen.returncode) for p in processes}


@pytest.mark.parametrize("trial", range(TRIALS))
def test_an_api_and_five_workers_started_together_on_an_empty_store_all_stay_up(
    store_env: dict[str, str], tmp_path: Path, trial: int
) -> None:
    commands = {"api": ["serve", "command"]}
    commands |= {f"{args[1]}-{i}": args for i, args in enumerate(WORKERS)}
    processes = [Process(name, args, store_env, tmp_path) for name, args in commands.items()]
    try:
        never_up = wait_until_up(processes, timeout_s=60)
        time.sleep(STAY_UP_S)
        died = {p.name: p.popen.returncode for p in processes if p.popen.poll() is not None}
    finally:
        statuses = stop_all(processes)

    logs = "\n".join(p.tail() for p in processes)
    assert died == {}, f"died at start: {died}\n{logs}"
    assert never_up == set(), f"never came up: {never_up}\n{logs}"
    assert statuses == dict.fromkeys(commands, 0), logs
