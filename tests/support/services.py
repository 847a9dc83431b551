"""Where the test suite finds PostgreSQL, Redis, EventStoreDB and Elasticsearch.

A test that needs a server it cannot reach is skipped with the reason, unless
SHOP_REQUIRE_SERVICES=1 (set by CI), which turns every such skip into a failure.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest

POSTGRES_DSN = os.environ.get("SHOP_TEST_POSTGRES_DSN", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SHOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
ESDB_URI = os.environ.get("SHOP_ESDB_URI")
ELASTICSEARCH_URL = os.environ.get("SHOP_ELASTICSEARCH_URL")


def services_required() -> bool:
    return os.environ.get("SHOP_REQUIRE_SERVICES", "") in ("1", "true", "yes")


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def _missing(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (SHOP_REQUIRE_SERVICES=1 makes this a failure)")
    pytest.skip(reason)


def require_postgres() -> str:
    if not _reachable(POSTGRES_DSN, 5432):
        _missing(f"PostgreSQL not reachable at {POSTGRES_DSN} (set SHOP_TEST_POSTGRES_DSN)")
    return POSTGRES_DSN


def require_redis() -> str:
    if not _reachable(REDIS_URL, 6379):
        _missing(f"Redis not reachable at {REDIS_URL} (set SHOP_TEST_REDIS_URL)")
    return REDIS_URL


def require_esdb() -> str:
    if not ESDB_URI:
        pytest.skip("SHOP_ESDB_URI is not set: no EventStoreDB to test against")
    return ESDB_URI


def require_elasticsearch() -> str:
    if not ELASTICSEARCH_URL:
        pytest.skip("SHOP_ELASTICSEARCH_URL is not set: no Elasticsearch to test against")
    return ELASTICSEARCH_URL
