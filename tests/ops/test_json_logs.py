"""Structured logs: one JSON object per line with the correlation id of the message in hand."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from config.settings import Settings
from domain.shared.context import message_context
from telemetry.jsonlog import configure_logging, json_handler


@pytest.fixture
def lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    logger = logging.getLogger("shop.test.jsonlog")
    handler = json_handler(stream)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_record_is_one_json_object_with_the_documented_keys(lines):
    logging.getLogger("shop.test.jsonlog").info("hello %s", "world")

    [record] = records(lines)
    assert set(record) == {"time", "level", "logger", "message", "correlation_id"}
    assert (record["level"], record["logger"]) == ("INFO", "shop.test.jsonlog")
    assert record["message"] == "hello world"
    assert record["correlation_id"] is None


def test_records_inside_a_message_carry_its_correlation_id(lines):
    with message_context("req-42"):
        logging.getLogger("shop.test.jsonlog").info("handling")

    assert records(lines)[0]["correlation_id"] == "req-42"


def test_an_exception_stays_on_one_line(lines):
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        logging.getLogger("shop.test.jsonlog").exception("failed")

    [record] = records(lines)
    assert "ValueError: boom" in record["exception"]


def test_configure_logging_sets_the_root_level_from_settings():
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    stream = io.StringIO()
    try:
        configure_logging(Settings(log_level="warning"), stream)
        logging.getLogger("shop.test.root").info("dropped")
        logging.getLogger("uvicorn.error").warning("kept")
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)

    [record] = records(stream)
    assert (record["logger"], record["level"]) == ("uvicorn.error", "WARNING")
