"""Twenty sign-ups with one email at once against a live `shop serve`: exactly one account.

Real concurrency: separate connections to a server process that signs up on its thread
pool, so the twenty handlers read the email's claim stream at the same time and race to
append to it. Optimistic concurrency lets one through; every other one is 409
`email_taken`, never a 5xx and never a second account. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import ShopServer, store_env

RACERS = 20
CHEAP_HASHES = {
    "SHOP_PASSWORD_TIME_COST": "1",
    "SHOP_PASSWORD_MEMORY_KIB": "8192",
    "SHOP_PASSWORD_PARALLELISM": "1",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ShopServer]:
    with ExitStack() as stack:
        env = store_env(request.param, stack) | CHEAP_HASHES
        live = ShopServer(tmp_path / "var", **env).start()
        yield live
        live.stop()


def race(url: str, count: int) -> list[httpx.Response]:
    """`count` sign-ups with one email, each on its own connection, released together."""
    start, answers = threading.Barrier(count), [None] * count

    def sign_up(number: int) -> None:
        body = {"email": "race@example.com", "password": "correct horse", "name": f"R {number}"}
        with httpx.Client(base_url=url, timeout=60) as client:
            start.wait()
            answers[number] = client.post("/customers", json=body)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers  # type: ignore[return-value]


def test_one_email_signed_up_twenty_times_at_once_makes_one_account(server: ShopServer):
    answers = race(server.url, RACERS)

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [409] * (RACERS - 1), [a.text for a in answers]
    refused = {a.json()["error"]["code"] for a in answers if a.status_code == 409}
    assert refused == {"email_taken"}
    [won] = [a.json() for a in answers if a.status_code == 201]
    admin = server.headers("admin", "admin-1")
    listed = f"{server.url}/customers?min_position={won['position']}"
    accounts = httpx.get(listed, headers=admin, timeout=30).json()
    assert [item["customer_id"] for item in accounts["items"]] == [won["customer_id"]]
