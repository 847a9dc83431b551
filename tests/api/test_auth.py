"""Bearer tokens: who may call what, and how tokens are checked and minted."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import jwt
import pytest

from api.auth import TokenCodec, mint_token_from_settings, resolve_secret
from api.command_app import create_command_app
from api.query_app import create_query_app
from config.settings import ConfigurationError, Settings
from tests.api.conftest import SECRET
from tests.api.factories import assert_error

PATH_VALUES = {
    "sku": "MUG-1",
    "code": "SPRING10",
    "customer_id": "alice",
    "order_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "return_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3302",
    "shipment_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
    "notification_id": "3f2504e0-4f89-41d3-9a0c-0305e82c3303",
    "webhook_id": "w-1",
    "delivery_id": "1",
}
NO_TOKEN = {"/health", "/carrier/events", "/auth/token", "/auth/refresh"}  # carrier: signed
NO_TOKEN_OPERATIONS = {("POST", "/customers")}  # signing up
COMMAND_READS = ("/webhooks",)  # admin reads served by the command app
ADMIN_ROUTES = [
    ("POST", "/products"),
    ("PATCH", "/products/MUG-1"),
    ("PUT", "/products/MUG-1/price"),
    ("POST", "/products/MUG-1/discontinue"),
    ("POST", "/inventory/MUG-1/receipts"),
    ("POST", "/inventory/MUG-1/adjustments"),
    ("POST", "/coupons"),
    ("POST", "/coupons/SPRING10/disable"),
    ("POST", "/returns/3f2504e0-4f89-41d3-9a0c-0305e82c3302/approve"),
    ("POST", "/returns/3f2504e0-4f89-41d3-9a0c-0305e82c3302/reject"),
    ("POST", "/returns/3f2504e0-4f89-41d3-9a0c-0305e82c3302/receive"),
    ("POST", "/shipments/3f2504e0-4f89-41d3-9a0c-0305e82c3301/dispatch"),
    ("POST", "/shipments/3f2504e0-4f89-41d3-9a0c-0305e82c3301/address"),
    ("GET", "/shipments"),
    ("GET", "/projections"),
    ("GET", "/customers"),
    ("GET", "/customers/alice"),
    ("POST", "/webhooks"),
    ("GET", "/webhooks"),
    ("DELETE", "/webhooks/w-1"),
    ("GET", "/webhooks/w-1/deliveries"),
    ("POST", "/webhooks/w-1/deliveries/1/retry"),
    ("POST", "/notifications/3f2504e0-4f89-41d3-9a0c-0305e82c3303/retry"),
]


def every_route(container) -> list[tuple[str, str]]:
    """(method, path) of every documented operation, path parameters filled in."""
    routes = []
    for app in (create_command_app(container), create_query_app(container)):
        for template, operations in app.openapi()["paths"].items():
            if template not in NO_TOKEN:
                path = re.sub(r"{(\w+)}", lambda m: PATH_VALUES[m.group(1)], template)
                routes += [
                    (method.upper(), path)
                    for method in operations
                    if (method.upper(), template) not in NO_TOKEN_OPERATIONS
                ]
    return sorted(set(routes))


def call(commands, queries, method: str, path: str, headers: dict[str, str]):
    client = queries if method == "GET" and not path.startswith(COMMAND_READS) else commands
    return client.request(method, path, json={}, headers=headers)


def test_every_endpoint_but_health_needs_a_token(commands, queries, container, head):
    routes = every_route(container)
    writes = [route for route in routes if route[0] != "GET"]
    assert len(writes) == 22  # orders, returns, catalog, stock, coupons, shipments, retries,
    # webhooks, my profile, erasure
    assert len(routes) - len(writes) == 16  # reads, shipments, returns, notifications, webhooks,
    # customers

    for method, path in routes:
        response = call(commands, queries, method, path, {})
        assert_error(response, 401, "unauthorized")
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert head() == 0


def test_health_needs_no_token(queries, commands):
    assert queries.get("/health").json() == {"status": "ok", "head": 0}
    assert commands.get("/health").status_code == 200


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_customers_get_403_on_every_admin_route(commands, queries, alice, head, method, path):
    assert_error(call(commands, queries, method, path, alice), 403, "forbidden")
    assert head() == 0


def claims(**overrides: object) -> dict[str, object]:
    now = datetime.now(UTC)
    return {"sub": "alice", "role": "customer", "exp": now + timedelta(minutes=5)} | overrides


@pytest.mark.parametrize(
    "token",
    [
        jwt.encode(claims(exp=datetime.now(UTC) - timedelta(minutes=1)), SECRET, "HS256"),
        jwt.encode({k: v for k, v in claims().items() if k != "exp"}, SECRET, "HS256"),
        jwt.encode(claims(), "another-secret-" + "y" * 64, "HS256"),
        jwt.encode(claims(), SECRET, "HS512"),
        jwt.encode(claims(), None, "none"),  # type: ignore[arg-type]
        jwt.encode(claims(role="root"), SECRET, "HS256"),
        jwt.encode(claims(sub=""), SECRET, "HS256"),
        jwt.encode({k: v for k, v in claims().items() if k != "sub"}, SECRET, "HS256"),
        "not.a.token",
        "",
    ],
    ids=[
        "expired",
        "no-exp",
        "other-secret",
        "alg-not-allowed",
        "alg-none",
        "bad-role",
        "empty-sub",
        "no-sub",
        "garbage",
        "empty",
    ],
)
def test_invalid_tokens_are_401(queries, token):
    response = queries.get("/catalog/search", headers={"Authorization": f"Bearer {token}"})

    assert_error(response, 401, "unauthorized")


def test_a_basic_auth_header_is_401(queries):
    response = queries.get("/catalog/search", headers={"Authorization": "Basic YWxpY2U6cHc="})

    assert_error(response, 401)


def test_a_minted_token_carries_role_sub_and_exp():
    codec = TokenCodec(SECRET, "HS256")

    principal = codec.decode(codec.mint("customer", "alice", 60))
    payload = jwt.decode(codec.mint("admin", "ops", 60), SECRET, ["HS256"])

    assert (principal.sub, principal.role, principal.is_admin) == ("alice", "customer", False)
    assert payload["role"] == "admin"
    assert payload["exp"] > payload["iat"]


def test_the_embedded_default_generates_and_keeps_a_secret(tmp_path):
    settings = Settings(data_dir=tmp_path, event_store="sqlite")

    first, second = resolve_secret(settings), resolve_secret(settings)

    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "jwt_secret").stat().st_mode & 0o077 == 0


def test_shop_jwt_secret_wins_over_the_file(tmp_path):
    settings = Settings(data_dir=tmp_path, jwt_secret="configured")

    assert resolve_secret(settings) == "configured"


def test_split_deployments_must_configure_the_secret(tmp_path):
    settings = Settings(data_dir=tmp_path, event_store="postgres", postgres_dsn="postgresql://h/db")

    with pytest.raises(ConfigurationError, match="SHOP_JWT_SECRET"):
        resolve_secret(settings)


def test_shop_token_signs_with_the_servers_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOP_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("SHOP_JWT_SECRET", raising=False)

    token = mint_token_from_settings("customer", None, 60)

    codec = TokenCodec(resolve_secret(Settings(data_dir=tmp_path)), "HS256")
    assert codec.decode(token).sub == "demo-customer"
