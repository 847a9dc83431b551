"""The lifespan every simulator shares: a child of `shop serve` stops by itself when the
server dies without stopping it."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app.supervision import PARENT_PID, orphaned


@asynccontextmanager
async def stop_when_orphaned(_: FastAPI) -> AsyncIterator[None]:
    if PARENT_PID in os.environ:
        threading.Thread(target=_watch, name="orphan-watch", daemon=True).start()
    yield


def _watch() -> None:
    while not orphaned():
        time.sleep(0.5)
    os.kill(os.getpid(), signal.SIGTERM)
