"""Which check a bearer token gets, chosen by its header's `alg` before anything is verified.

HS256 (SHOP_JWT_ALGORITHM): our own tokens, `shop token` and the access tokens of
`POST /auth/token`, checked with our secret and that one algorithm. RS256 and ES256: an
identity provider's, checked with its published keys, and only when SHOP_JWKS_URL is set.
Each family of keys verifies its own algorithms only: an HS token is never checked with
a public key, an RS token never with our secret. Any other `alg` (`none` among them) is
refused.

Checking an identity provider's token may have to fetch its key set; that runs on the
thread pool, so a slow provider stalls no other request (and its fetches are bounded by
the floor in `adapters.jwks`). Every other check runs inline: it is CPU only.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from fastapi.concurrency import run_in_threadpool

from adapters.jwks import JwksKeys
from api.auth import MAX_TOKEN_CHARS, InvalidToken, Principal, TokenCodec
from api.idp_tokens import PINNED, IdpTokens
from config.settings import ConfigurationError, Settings

EXTRAS_KEY = "identity_provider_keys"


class VerifiedTokens:
    """Tokens whose signature and claims were checked, kept until they expire.

    A client sends the same bearer token with every request, and checking its signature
    again cost a tenth of a write's CPU. Only a token that passed every check is kept
    (keyed by the whole token, so a token changed in any byte is checked afresh), and only
    until its `exp`. Bounded: the oldest is dropped first.
    """

    def __init__(self, size: int = 10_000, clock: Callable[[], float] = time.time) -> None:
        self.size, self.clock = size, clock
        self._principals: dict[str, Principal] = {}

    def get(self, token: str) -> Principal | None:
        principal = self._principals.get(token)
        if principal is None or principal.expires_at <= self.clock():
            return None
        return principal

    def keep(self, token: str, principal: Principal) -> Principal:
        if len(self._principals) >= self.size:
            del self._principals[next(iter(self._principals))]
        self._principals[token] = principal
        return principal


@dataclass(frozen=True)
class BearerTokens:
    codec: TokenCodec
    provider: IdpTokens | None
    verified: VerifiedTokens = field(default_factory=VerifiedTokens)

    async def principal(self, token: str) -> Principal:
        known = self.verified.get(token)
        if known is not None:
            return known
        return self.verified.keep(token, await self._verify(token))

    async def _verify(self, token: str) -> Principal:
        header = _header(token)
        algorithm = header.get("alg")
        if algorithm == self.codec.algorithm:
            return self.codec.decode(token)
        if algorithm not in PINNED:
            raise InvalidToken(f"tokens signed with {algorithm!r} are not accepted")
        if self.provider is None:
            raise InvalidToken(f"{algorithm} tokens are not accepted: no identity provider is set")
        if self.provider.needs_fetch(header):
            return await run_in_threadpool(self.provider.decode, token, header)
        return self.provider.decode(token, header)


def _header(token: str) -> dict[str, Any]:
    if len(token) > MAX_TOKEN_CHARS:
        raise InvalidToken(f"token longer than {MAX_TOKEN_CHARS} characters")
    try:
        return jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from None


def bearer_tokens(settings: Settings, codec: TokenCodec, extras: dict[str, Any]) -> BearerTokens:
    """Our codec and, with SHOP_JWKS_URL, the provider's keys: one cache per process (kept
    in the host's `extras`, so the command and query apps of one host share it)."""
    if not settings.jwks_url:
        return BearerTokens(codec, None)
    if not settings.jwks_url.startswith(("https://", "http://")):
        raise ConfigurationError("SHOP_JWKS_URL must be an https:// (or http://) URL")
    if EXTRAS_KEY not in extras:
        extras[EXTRAS_KEY] = JwksKeys(settings.jwks_url, settings.jwks_refetch_floor_s)
    provider = IdpTokens(
        extras[EXTRAS_KEY], settings.jwt_issuer, settings.jwt_audience, settings.jwt_role_claim
    )
    return BearerTokens(codec, provider)
