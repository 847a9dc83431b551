"""Structured logs: one JSON object per line, with the correlation id of the message in hand.

`configure_logging(settings)` is called once at process start (`shop serve`, both workers);
it replaces the root logger's handlers and lets uvicorn's loggers propagate to it, so every
line a process writes has the same shape.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from config.settings import Settings
from domain.shared.context import current_correlation_id

_SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")
# Fields a record may carry as `extra=`, copied into its line when present.
_EXTRA_FIELDS = ("worker", "exit_code", "pid", "restarts", "restart_in_s")


class JsonFormatter(logging.Formatter):
    """`{"time", "level", "logger", "message", "correlation_id"[, "exception"]}` per record,
    plus the supervisor's `worker`, `exit_code`, ... when the record carries them."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
        }
        line.update({k: getattr(record, k) for k in _EXTRA_FIELDS if hasattr(record, k)})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


class CorrelationFilter(logging.Filter):
    """Stamps the correlation id of the current request or saga step on each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = current_correlation_id()
        return True


def json_handler(stream: IO[str] | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(CorrelationFilter())
    return handler


def configure_logging(settings: Settings, stream: IO[str] | None = None) -> None:
    """JSON lines on stderr at `settings.log_level`, for this whole process."""
    level = logging.getLevelName(settings.log_level.upper())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(json_handler(stream))
    root.setLevel(level if isinstance(level, int) else logging.INFO)
    # httpx says every request at INFO: a line per webhook delivery in its worker.
    logging.getLogger("httpx").setLevel(max(root.level, logging.WARNING))
    for name in _SERVER_LOGGERS:  # uvicorn's own handlers would print plain text
        server_logger = logging.getLogger(name)
        server_logger.handlers.clear()
        server_logger.propagate = True
