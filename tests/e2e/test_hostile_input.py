"""A hostile client against a live `shop serve`: every case is a 4xx in the documented error
shape, and the log head does not move (nothing was recorded, not even half a write)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from typing import Any

import httpx
import pytest

from tests.e2e.hostile import AUTH_CASES, BODY_CASES, ORDER_BODY, Case
from tests.e2e.server import ShopServer, store_env
from tests.ops.server import wait_until

ADMIN_WRITES = [
    ("POST", "/products", {"sku": "X-1"}),
    ("PATCH", "/products/MUG-1", {"name": "x"}),
    ("PUT", "/products/MUG-1/price", {"price": 1}),
    ("POST", "/products/MUG-1/discontinue", None),
    ("POST", "/inventory/MUG-1/receipts", {"quantity": 1}),
    ("POST", "/inventory/MUG-1/adjustments", {"delta": -1, "reason": "x"}),
    ("POST", "/coupons", {"code": "X", "kind": "percent", "value": 1}),
    ("POST", "/coupons/WELCOME10/disable", None),
]
ADMIN_READS = [
    "/projections",
    "/ops/api/projections",
    "/ops/api/checkouts",
    "/ops/api/events",
    "/ops/api/streams/product-MUG-1",
]
PATHS = [
    "/catalog/products/..%2F..%2Fetc%2Fpasswd",
    "/catalog/products/MUG-1%00",
    "/inventory/" + "A" * 300,
    "/coupons/%27%20OR%201=1",
    "/orders/not-a-uuid",
    "/orders/00000000-0000-0000-0000-000000000000",
    "/nowhere/../orders",
    "/catalog/search?page=0",
    "/catalog/search?size=101",
    "/catalog/search?page=99999999999",
    "/catalog/search?min_price=-1",
    "/catalog/search?max_price=1e400",
    "/catalog/search?min_position=100000000000000000000",
    "/catalog/search?sort=drop",
    "/catalog/search?typo=1",
    "/catalog/search?q=" + "x" * 201,
    "/ops/api/streams/product-MUG-1?after=100000000000000000000",
    "/ops/api/streams/product-MUG-1?after=-2",
    "/ops/api/events?limit=0",
    "/ops/api/events?limit=100000000000000000000",
]
FTS_QUERIES = ['"', "*", "MUG NEAR(", "a OR", "(((", "NOT", "col:mug", "^", "-", "\u0000"]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ShopServer]:
    """A live `shop serve` on the embedded default, and one whose log is in PostgreSQL."""
    data_dir = tmp_path_factory.mktemp("hostile") / "var"
    with ExitStack() as stack:
        env = store_env(request.param, stack)
        live = ShopServer(data_dir, **env).start()
        yield live
        live.stop()


@pytest.fixture(scope="module")
def ctx(server: ShopServer) -> dict[str, str]:
    """Tokens, and an order of alice's that has settled, so the log is quiet."""
    tokens = {
        name: f"Bearer {server.token(role, name)}"
        for name, role in (("alice", "customer"), ("mallory", "customer"), ("admin", "admin"))
    }
    headers = {"Authorization": tokens["alice"], "Idempotency-Key": "alice-1"}
    placed = httpx.post(f"{server.url}/orders", json=ORDER_BODY, headers=headers).json()
    order_id = placed["order_id"]
    url = f"{server.url}/orders/{order_id}?min_position={placed['position']}"
    wait_until(
        lambda: (
            httpx.get(url, headers={"Authorization": tokens["alice"]}).json().get("status")
            == "CONFIRMED"
        ),
        20,
        "alice's order to be confirmed",
    )
    wait_until(lambda: _stable_head(server), 20, "a quiet log")
    return {**tokens, "order_id": order_id}


def head(server: ShopServer) -> Any:
    return httpx.get(f"{server.url}/health").json()["head"]


def assert_refused(response: httpx.Response, head_before: Any, server: ShopServer) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:500])
    error = response.json()["error"]
    assert isinstance(error["code"], str)
    assert isinstance(error["message"], str)
    assert head(server) == head_before


@pytest.mark.parametrize("case", AUTH_CASES.values(), ids=AUTH_CASES.keys())
def test_a_bad_token_is_401_and_records_nothing(
    server: ShopServer, ctx: dict[str, str], case: Case
) -> None:
    before = head(server)
    response = case(server, ctx)
    assert response.status_code == 401, response.text
    assert_refused(response, before, server)


def test_an_anonymous_malformed_body_is_401_not_400(server: ShopServer) -> None:
    before = head(server)
    response = httpx.post(
        f"{server.url}/orders", content=b"{oops", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401
    assert_refused(response, before, server)


@pytest.mark.parametrize("case", BODY_CASES.values(), ids=BODY_CASES.keys())
def test_a_hostile_body_is_a_4xx_and_records_nothing(
    server: ShopServer, ctx: dict[str, str], case: Case
) -> None:
    before = head(server)
    assert_refused(case(server, ctx), before, server)


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_WRITES)
def test_every_admin_write_refuses_a_customer(
    server: ShopServer, ctx: dict[str, str], method: str, path: str, body: Any
) -> None:
    before = head(server)
    headers = {"Authorization": ctx["mallory"], "Idempotency-Key": "k"}
    response = httpx.request(method, f"{server.url}{path}", json=body, headers=headers)
    assert response.status_code == 403, response.text
    assert_refused(response, before, server)


@pytest.mark.parametrize("path", ADMIN_READS)
def test_every_admin_read_refuses_a_customer(
    server: ShopServer, ctx: dict[str, str], path: str
) -> None:
    response = httpx.get(f"{server.url}{path}", headers={"Authorization": ctx["mallory"]})
    assert response.status_code == 403
    assert_refused(response, head(server), server)


@pytest.mark.parametrize(
    "route",
    [
        "GET /orders/{id}",
        "GET /orders/{id}/timeline",
        "POST /orders/{id}/cancel",
        "GET /customers/alice/orders",
    ],
)
def test_another_customers_order_is_404(
    server: ShopServer, ctx: dict[str, str], route: str
) -> None:
    before = head(server)
    method, path = route.split(" ")
    url = server.url + path.replace("{id}", ctx["order_id"])
    response = httpx.request(method, url, headers={"Authorization": ctx["mallory"]})
    assert response.status_code == 404, response.text
    assert_refused(response, before, server)


@pytest.mark.parametrize("path", PATHS)
def test_a_hostile_path_or_query_is_a_4xx(
    server: ShopServer, ctx: dict[str, str], path: str
) -> None:
    before = head(server)
    response = httpx.get(f"{server.url}{path}", headers={"Authorization": ctx["admin"]})
    assert_refused(response, before, server)


@pytest.mark.parametrize("query", FTS_QUERIES)
def test_full_text_syntax_is_searched_as_text(
    server: ShopServer, ctx: dict[str, str], query: str
) -> None:
    response = httpx.get(
        f"{server.url}/catalog/search", params={"q": query}, headers={"Authorization": ctx["alice"]}
    )
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert isinstance(response.json()["items"], list)


def test_one_key_sent_50_times_at_once_places_one_order(
    server: ShopServer, ctx: dict[str, str]
) -> None:
    headers = {"Authorization": ctx["mallory"], "Idempotency-Key": "race-1"}

    def place(_: int) -> httpx.Response:
        return httpx.post(f"{server.url}/orders", json=ORDER_BODY, headers=headers, timeout=30)

    with ThreadPoolExecutor(max_workers=25) as pool:
        answers = list(pool.map(place, range(50)))

    assert {answer.status_code for answer in answers} == {202}, [a.text for a in answers][:3]
    assert len({answer.json()["order_id"] for answer in answers}) == 1
    mine = httpx.get(
        f"{server.url}/customers/mallory/orders?min_position={head(server)}",
        headers={"Authorization": ctx["mallory"]},
    ).json()
    assert [item["order_id"] for item in mine["items"]] == [answers[0].json()["order_id"]]


def _stable_head(server: ShopServer) -> bool:
    first = head(server)
    time.sleep(0.3)
    return head(server) == first
