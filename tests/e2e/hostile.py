"""What a hostile client sends: tokens, bodies and paths built to break the API.

Each case is a name and a function of the live server that sends one request and returns
its response. `tests/e2e/test_hostile_input.py` runs every case and checks the answer.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import httpx
import jwt

from tests.e2e.server import ShopServer

Case = Callable[[ShopServer, dict[str, str]], httpx.Response]
ORDER_BODY = {"lines": [{"sku": "MUG-1", "quantity": 1}], "payment": {"token": "tok_ok"}}
PRODUCT_BODY = {
    "sku": "HOSTILE-1",
    "name": "Cup",
    "description": "",
    "category": "kitchen",
    "brand": "Acme",
    "price": 100,
    "currency": "KRW",
    "attributes": {},
}


def signed(server: ShopServer, claims: dict[str, Any], key: str | None = None) -> str:
    return jwt.encode(claims, key or server.secret(), algorithm="HS256")


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    base: dict[str, Any] = {"sub": "mallory", "role": "customer", "iat": now, "exp": now + 600}
    base.update(overrides)
    return {name: value for name, value in base.items() if value is not ...}


def place_with(token: str) -> Case:
    def send(server: ShopServer, ctx: dict[str, str]) -> httpx.Response:
        headers = {"Authorization": token, "Idempotency-Key": "hostile"}
        return httpx.post(f"{server.url}/orders", json=ORDER_BODY, headers=headers)

    return send


def place_with_claims(**overrides: Any) -> Case:
    def send(server: ShopServer, ctx: dict[str, str]) -> httpx.Response:
        token = f"Bearer {signed(server, claims(**overrides))}"
        return place_with(token)(server, ctx)

    return send


def alg_none(server: ShopServer, ctx: dict[str, str]) -> httpx.Response:
    token = jwt.encode(claims(), None, algorithm="none")  # type: ignore[arg-type]
    return place_with(f"Bearer {token}")(server, ctx)


def wrong_key(server: ShopServer, ctx: dict[str, str]) -> httpx.Response:
    return place_with(f"Bearer {signed(server, claims(), key='not-the-secret' * 4)}")(server, ctx)


def raw_sub(sub: str) -> Case:
    """A token whose payload JSON holds `sub` exactly, lone surrogates and all."""

    def send(server: ShopServer, ctx: dict[str, str]) -> httpx.Response:
        payload = json.dumps(claims(sub=sub)).encode()  # "\udcff" stays an escape
        token = jwt.api_jws.encode(payload, server.secret(), algorithm="HS256")
        return place_with(f"Bearer {token}")(server, ctx)

    return send


AUTH_CASES: dict[str, Case] = {
    "no token": place_with(""),
    "basic scheme": place_with("Basic YWRtaW46YWRtaW4="),
    "bearer without a token": place_with("Bearer"),
    "garbage": place_with("Bearer not.a.jwt"),
    "alg none": alg_none,
    "wrong key": wrong_key,
    "expired": place_with_claims(exp=int(time.time()) - 3600),
    "missing exp": place_with_claims(exp=...),
    "string exp": place_with_claims(exp=str(int(time.time()) + 600)),
    "boolean exp": place_with_claims(exp=True),
    "missing sub": place_with_claims(sub=...),
    "numeric sub": place_with_claims(sub=12345),
    "empty sub": place_with_claims(sub=""),
    "sub with a space": place_with_claims(sub="eve smith"),
    "sub of 201 chars": place_with_claims(sub="e" * 201),
    "sub with a control char": place_with_claims(sub="eve\n"),
    "sub not ascii": place_with_claims(sub="ëve"),
    "sub with a lone surrogate": raw_sub("x\udcff"),
    "unknown role": place_with_claims(role="root"),
    "role as a list": place_with_claims(role=["admin"]),
    "huge token": place_with("Bearer " + "a" * 20_000),
}


def send_body(content: bytes, path: str = "/orders", admin: bool = False) -> Case:
    def send(server: ShopServer, ctx: dict[str, str]) -> httpx.Response:
        token = ctx["admin"] if admin else ctx["mallory"]
        headers = {
            "Authorization": token,
            "Content-Type": "application/json",
            "Idempotency-Key": "hostile-body",
        }
        return httpx.post(f"{server.url}{path}", content=content, headers=headers)

    return send


def order_json(**overrides: Any) -> Case:
    return send_body(json.dumps({**ORDER_BODY, **overrides}).encode())


def product_json(**overrides: Any) -> Case:
    return send_body(json.dumps({**PRODUCT_BODY, **overrides}).encode(), "/products", admin=True)


BODY_CASES: dict[str, Case] = {
    "lines a string": order_json(lines="MUG-1"),
    "quantity a string": order_json(lines=[{"sku": "MUG-1", "quantity": "2"}]),
    "quantity a float": order_json(lines=[{"sku": "MUG-1", "quantity": 1.5}]),
    "quantity a bool": order_json(lines=[{"sku": "MUG-1", "quantity": True}]),
    "quantity negative": order_json(lines=[{"sku": "MUG-1", "quantity": -1}]),
    "quantity huge": order_json(lines=[{"sku": "MUG-1", "quantity": 10**30}]),
    "no lines": order_json(lines=[]),
    "sku traversal": order_json(lines=[{"sku": "../../etc/passwd", "quantity": 1}]),
    "unknown sku": order_json(lines=[{"sku": "NOPE-1", "quantity": 1}]),
    "payment missing": send_body(json.dumps({"lines": ORDER_BODY["lines"]}).encode()),
    "token with a control char": order_json(payment={"token": "tok_ok\u0000"}),
    "address with a control char": order_json(shipping_address={"name": "Eve\u0007"}),
    "NaN": send_body(b'{"lines": [{"sku": "MUG-1", "quantity": NaN}], "payment": {"token": "t"}}'),
    "Infinity price": send_body(b'{"price": Infinity}', "/products", admin=True),
    "duplicate keys": send_body(
        b'{"lines": [{"sku": "MUG-1", "sku": "TEA-1", "quantity": 1}], "payment": {"token": "t"}}'
    ),
    "deep nesting": send_body(b"[" * 5000 + b"]" * 5000),
    "invalid utf-8": send_body(b'{"lines": [{"sku": "\xff\xfe", "quantity": 1}]}'),
    "not json": send_body(b"lines=MUG-1"),
    "json null": send_body(b"null"),
    "10 MB": send_body(b'{"pad": "' + b"x" * 10_000_000 + b'"}'),
    "currency ZZZ": product_json(currency="ZZZ"),
    "currency lower case": product_json(currency="krw"),
    "name with a control char": product_json(name="Cup\u001b[31m"),
    "name a lone surrogate": send_body(
        json.dumps({**PRODUCT_BODY, "name": "\ud800"}).encode(), "/products", admin=True
    ),
    "price zero": product_json(price=0),
    "price a float": product_json(price=1.5),
    "price beyond int64": product_json(price=2**70),
    "sku too long": product_json(sku="S" * 65),
    "attributes nested": product_json(attributes={"a": {"b": "c"}}),
}
