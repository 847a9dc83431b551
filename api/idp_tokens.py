"""Tokens of an external identity provider (SHOP_JWKS_URL): RS256 or ES256, checked against
the provider's published keys.

Each key is pinned to the one algorithm its type allows (an RSA key verifies RS256 only,
an EC P-256 key ES256 only) and the token's `alg` must be that one, so a token can never
choose how it is checked. `exp` is required; `iss` and `aud` are checked when
SHOP_JWT_ISSUER and SHOP_JWT_AUDIENCE are set. `sub` is the customer id.

The role is read from the claim named SHOP_JWT_ROLE_CLAIM (default `role`). The claim
name is looked up as it is first (Auth0's namespaced claims contain dots, e.g.
`https://shop.example/roles`), then as a dotted path into nested objects (Keycloak's
`realm_access.roles`). A string or a list of strings: `admin` in it makes an admin;
anything else, or no claim at all, a customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from adapters.jwks import JwksKeys, SigningKeyMissing
from api.auth import LEEWAY_S, InvalidToken, Principal, Role, check_claims, expiry

PINNED = ("RS256", "ES256")


@dataclass(frozen=True)
class IdpTokens:
    keys: JwksKeys
    issuer: str | None
    audience: str | None
    role_claim: str

    def needs_fetch(self, header: dict[str, Any]) -> bool:
        """Whether checking a token with this header may fetch the key set (block)."""
        return self.keys.cached(str(header.get("kid"))) is None

    def decode(self, token: str, header: dict[str, Any]) -> Principal:
        algorithm = header.get("alg")
        kid = header.get("kid")
        if algorithm not in PINNED or not isinstance(kid, str):
            raise InvalidToken("an identity provider's token must be RS256 or ES256 with a kid")
        try:
            key = self.keys.key_for(kid)
        except SigningKeyMissing as error:
            raise InvalidToken(str(error)) from None
        if not _pinned(key, algorithm):
            raise InvalidToken(f"key {kid!r} does not verify {algorithm}")
        claims = self._claims(token, key, algorithm)
        return Principal(check_claims(claims), self._role(claims), expiry(claims))

    def _claims(self, token: str, key: jwt.PyJWK, algorithm: str) -> dict[str, Any]:
        required = ["exp", "sub"] + ["iss"] * bool(self.issuer) + ["aud"] * bool(self.audience)
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[algorithm],
                issuer=self.issuer,
                audience=self.audience,
                options={"require": required, "verify_aud": bool(self.audience)},
                leeway=LEEWAY_S,
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None

    def _role(self, claims: dict[str, Any]) -> Role:
        value = claims.get(self.role_claim, _nested(claims, self.role_claim))
        granted = [value] if isinstance(value, str) else value
        if isinstance(granted, list) and Role.ADMIN.value in granted:
            return Role.ADMIN
        return Role.CUSTOMER


def _nested(claims: dict[str, Any], path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _pinned(key: jwt.PyJWK, algorithm: str) -> bool:
    """The one algorithm a key verifies: RS256 for an RSA key, ES256 for a P-256 key."""
    if key.algorithm_name != algorithm:
        return False
    if algorithm == "RS256":
        return isinstance(key.key, RSAPublicKey)
    return isinstance(key.key, EllipticCurvePublicKey) and key.key.curve.name == "secp256r1"
