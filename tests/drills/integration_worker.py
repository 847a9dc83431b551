"""`shop worker integration` as a real OS process, for drills that kill it with SIGKILL.

`fork_integration_worker` forks this (already imported) interpreter and runs
`run_integration_worker()` in the child with `SHOP_INTEGRATION_CRASH_AFTER=N`. The child
also writes each step boundary it passes to `points` (one name a line), so the drill
knows where the Nth one fell.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from pathlib import Path

from config.settings import Settings

CRASH_VARIABLE = "SHOP_INTEGRATION_CRASH_AFTER"
NOT_INHERITED = ("SHOP_AMQP_URL", "SHOP_METRICS_PORT", "SHOP_SUPERVISOR_PID")


def worker_env(settings: Settings, crash_after: int) -> dict[str, str]:
    env = {
        "SHOP_DATA_DIR": str(settings.data_dir),
        "SHOP_EVENT_STORE": settings.event_store,
        "SHOP_CREATE_TABLES": "true",
        "SHOP_LOG_LEVEL": "WARNING",
        "SHOP_MAIL_FROM": settings.mail_from,
        "SHOP_WORKER_ID": "integration-drill",
        CRASH_VARIABLE: str(crash_after),
    }
    if settings.smtp_url:
        env["SHOP_SMTP_URL"] = settings.smtp_url
    if settings.postgres_dsn:
        env["SHOP_POSTGRES_DSN"] = settings.postgres_dsn
    if settings.postgres_schema:
        env["SHOP_POSTGRES_SCHEMA"] = settings.postgres_schema
    return env


def _child(env: dict[str, str], points: Path) -> None:
    for name in NOT_INHERITED:  # no broker, no metrics port, no parent server
        os.environ.pop(name, None)
    os.environ.update(env)  # the child's own environment, read by Settings()
    import app.run.integration as worker

    crash_hook_from_env = worker.crash_hook_from_env

    def noting(variable: str) -> Callable[[str], None]:
        crash = crash_hook_from_env(variable)

        def hook(point: str) -> None:
            with points.open("a") as noted:
                noted.write(point + "\n")
            crash(point)

        return hook

    worker.crash_hook_from_env = noting  # type: ignore[assignment]
    os._exit(worker.run_integration_worker())


def fork_integration_worker(settings: Settings, crash_after: int, points: Path) -> BaseProcess:
    env = worker_env(settings, crash_after)
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_child, args=(env, points), daemon=True)
    process.start()
    return process


def noted_points(points: Path) -> list[str]:
    return points.read_text().splitlines() if points.exists() else []
