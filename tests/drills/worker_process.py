"""The saga worker as a real OS process, for drills that kill it with SIGKILL.

`fork_worker` forks this (already imported) interpreter and runs `run_saga_worker()` in the
child: a real process with its own connections, started in milliseconds. `spawn_worker`
starts `python -m app.run.saga` from scratch, as the CLI would.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from multiprocessing.process import BaseProcess
from pathlib import Path

from config.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def worker_env(
    settings: Settings,
    crash_after: int | None = None,
    crash_variable: str = "SHOP_SAGA_CRASH_AFTER",
) -> dict[str, str]:
    env = {
        "SHOP_DATA_DIR": str(settings.data_dir),
        "SHOP_EVENT_STORE": settings.event_store,
        "SHOP_PAYMENT_TIMEOUT_S": str(settings.payment_timeout_s),
        # The first start records the migration (under its lock), later ones find it.
        "SHOP_CREATE_TABLES": "true",
        "SHOP_LOG_LEVEL": "WARNING",
    }
    if settings.postgres_dsn:
        env["SHOP_POSTGRES_DSN"] = settings.postgres_dsn
    if settings.postgres_schema:
        env["SHOP_POSTGRES_SCHEMA"] = settings.postgres_schema
    if crash_after:
        env[crash_variable] = str(crash_after)
    return env


def _child(env: dict[str, str]) -> None:
    os.environ.update(env)  # the child's own environment, read by Settings()
    from app.run.saga import run_saga_worker

    os._exit(run_saga_worker())


def fork_worker(
    settings: Settings,
    crash_after: int | None = None,
    crash_variable: str = "SHOP_SAGA_CRASH_AFTER",
) -> BaseProcess:
    env = worker_env(settings, crash_after, crash_variable)
    process = multiprocessing.get_context("fork").Process(target=_child, args=(env,), daemon=True)
    process.start()
    return process


def spawn_worker(settings: Settings) -> subprocess.Popen[bytes]:
    env = {**os.environ, **worker_env(settings)}
    command = [sys.executable, "-m", "app.run.saga"]
    return subprocess.Popen(command, cwd=ROOT, env=env)
