"""The data dir of every `shop` command, made absolute once and shown on stderr.

SHOP_DATA_DIR defaults to `./var`, relative to the current directory: run from another
directory, `shop token` would mint with a fresh secret and `shop projections` would read
fresh, empty stores, with nothing to say so. Each command that touches the data dir
resolves it here, exports the absolute path (so every later `Settings()` and the worker
children agree on it) and says which directory it uses, on stderr so that
`$(shop token ...)` still captures only the token. The long-running processes say it as
a JSON log record instead: their stderr is JSON lines, one object each, for log shippers.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from app.supervision import PARENT_PID

VARIABLE = "SHOP_DATA_DIR"


def resolve_data_dir(as_log: bool = False) -> Path:
    """The absolute data dir, exported as SHOP_DATA_DIR and announced once on stderr."""
    from config.settings import Settings  # here, so `shop --help` stays fast

    settings = Settings()
    path = settings.data_dir.expanduser().resolve()
    os.environ[VARIABLE] = str(path)
    if PARENT_PID in os.environ:  # a worker child of `shop serve`: the server said it
        return path
    message = f"data dir {path} ({VARIABLE}; {settings.event_store} store)"
    if as_log:
        from telemetry.jsonlog import configure_logging

        configure_logging(settings)
        logging.getLogger("shop.cli").info(message)
    else:
        print(f"shop: {message}", file=sys.stderr, flush=True)
    return path
