"""Tokens of an external identity provider (SHOP_JWKS_URL) beside our own HS256 tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from config.settings import Settings
from tests.api.conftest import SECRET
from tests.api.factories import assert_error, coupon_body
from tests.support.jwks_server import (
    AUDIENCE,
    ISSUER,
    IdentityProvider,
    SigningKey,
    identity_provider,
)

FLOOR_S = 30.0
ORDERS = "/customers/idp-user-1/orders"
HS_HEADER = b'{"alg":"HS256","typ":"JWT","kid":"rsa-1"}'
ADMIN_CLAIMS = b'{"sub":"ops","role":"admin","exp":9999999999}'


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture
def idp() -> Iterator[IdentityProvider]:
    with identity_provider() as provider:
        provider.publish(SigningKey.generate("rsa-1", "RS256"))
        provider.publish(SigningKey.generate("ec-1", "ES256"))
        yield provider


@pytest.fixture
def floor_s() -> float:
    return FLOOR_S


@pytest.fixture
def api_settings(tmp_path: Path, idp: IdentityProvider, floor_s: float) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        event_store="sqlite",
        jwt_secret=SECRET,
        consistency_timeout_s=0.3,
        jwks_url=idp.url,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        jwt_role_claim="realm_access.roles",
        jwks_refetch_floor_s=floor_s,
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("kid", ["rsa-1", "ec-1"])
def test_a_customer_token_of_either_key_type_is_accepted(queries, idp, kid):
    key = next(key for key in idp.keys if key.kid == kid)

    response = queries.get(ORDERS, headers=bearer(key.sign()))

    assert response.status_code == 200, response.text


def test_admin_in_a_list_role_claim_makes_an_admin_on_reads_and_writes(queries, commands, idp):
    token = idp.keys[1].sign(realm_access={"roles": ["offline_access", "admin"]})

    assert queries.get("/projections", headers=bearer(token)).status_code == 200
    assert commands.post("/coupons", json=coupon_body(), headers=bearer(token)).status_code == 201


def test_a_list_without_admin_or_no_role_claim_is_a_customer(queries, idp):
    for token in (idp.keys[0].sign(realm_access={"roles": ["user"]}), idp.keys[0].sign()):
        assert_error(queries.get("/projections", headers=bearer(token)), 403, "forbidden")
        assert queries.get(ORDERS, headers=bearer(token)).status_code == 200


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "https://elsewhere.test/"},
        {"aud": "another-api"},
        {"iss": None},
        {"aud": None},
        {"exp": int(time.time()) - 60},
        {"exp": None},
    ],
    ids=["issuer", "audience", "no-issuer", "no-audience", "expired", "no-exp"],
)
def test_wrong_issuer_audience_or_expiry_is_401(queries, idp, claims):
    response = queries.get(ORDERS, headers=bearer(idp.keys[0].sign(**claims)))

    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_signature_by_another_key_under_a_known_kid_is_401(queries, idp):
    impostor = SigningKey.generate("rsa-1", "RS256")

    assert_error(queries.get(ORDERS, headers=bearer(impostor.sign())), 401, "unauthorized")


def test_an_hs256_token_keyed_with_the_providers_public_key_is_401(queries, idp):
    public_pem = (
        idp.keys[0]
        .private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signed = f"{_b64(HS_HEADER)}.{_b64(ADMIN_CLAIMS)}"
    mac = hmac.new(public_pem, signed.encode(), hashlib.sha256).digest()
    forged = f"{signed}.{_b64(mac)}"

    assert_error(queries.get("/projections", headers=bearer(forged)), 401, "unauthorized")


def test_an_rs_token_under_an_ec_kid_is_401(queries, idp):
    mislabelled = SigningKey("ec-1", "RS256", idp.keys[0].private).sign()

    assert_error(queries.get(ORDERS, headers=bearer(mislabelled)), 401, "unauthorized")


def test_our_own_hs256_tokens_keep_working(queries, codec):
    token = codec.mint("admin", "ops", 60)

    assert queries.get("/projections", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize("floor_s", [0.0])
def test_a_rotated_key_is_fetched_when_a_token_names_it(queries, idp):
    assert queries.get(ORDERS, headers=bearer(idp.keys[0].sign())).status_code == 200
    rotated = idp.publish(SigningKey.generate("rsa-2", "RS256"))

    response = queries.get(ORDERS, headers=bearer(rotated.sign()))

    assert response.status_code == 200, response.text
    assert idp.hits == 2


def test_unknown_kids_fetch_at_most_once_per_floor(queries, idp):
    assert queries.get(ORDERS, headers=bearer(idp.keys[0].sign())).status_code == 200

    for _ in range(20):
        token = idp.keys[0].sign(kid=f"made-up-{uuid.uuid4()}")
        assert_error(queries.get(ORDERS, headers=bearer(token)), 401, "unauthorized")

    assert idp.hits == 1


def test_a_provider_that_is_down_is_401_for_its_tokens_only(queries, idp, codec):
    idp.down = True

    response = queries.get(ORDERS, headers=bearer(idp.keys[0].sign()))

    error = assert_error(response, 401, "unauthorized")
    assert "could not be fetched" in error["message"]
    assert (
        queries.get("/projections", headers=bearer(codec.mint("admin", "ops", 60))).status_code
        == 200
    )
    for _ in range(5):
        assert queries.get(ORDERS, headers=bearer(idp.keys[0].sign())).status_code == 401
    assert idp.hits == 1
