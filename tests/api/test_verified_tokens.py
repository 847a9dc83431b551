"""Verified bearer tokens are kept until they expire: the signature is checked once per
token, an expired token is refused although it was accepted before, a token changed in
any byte is checked afresh, and the cache stays within its bound."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from api.auth import InvalidToken, Principal, TokenCodec
from api.tokens import BearerTokens, VerifiedTokens

SECRET = "verified-tokens-" + "s" * 48


class CountingCodec(TokenCodec):
    decoded = 0

    def decode(self, token: str) -> Principal:
        type(self).decoded += 1
        return super().decode(token)


@pytest.fixture
def codec() -> CountingCodec:
    CountingCodec.decoded = 0
    return CountingCodec(SECRET, "HS256")


def principal(tokens: BearerTokens, token: str) -> Principal:
    return asyncio.run(tokens.principal(token))


def test_a_token_is_verified_once_while_it_lasts(codec: CountingCodec) -> None:
    tokens = BearerTokens(codec, None)
    token = codec.mint("customer", "cust-1", 600)

    first, second = principal(tokens, token), principal(tokens, token)

    assert first == second == Principal("cust-1", first.role)
    assert CountingCodec.decoded == 1


def test_past_its_expiry_a_token_is_no_longer_answered_from_the_cache(
    codec: CountingCodec,
) -> None:
    now = [datetime.now(UTC).timestamp()]
    tokens = BearerTokens(codec, None, VerifiedTokens(clock=lambda: now[0]))
    token = codec.mint("customer", "cust-1", 60)
    principal(tokens, token)
    principal(tokens, token)
    assert CountingCodec.decoded == 1

    now[0] += 66  # past exp and the leeway: the codec judges it again

    principal(tokens, token)
    assert CountingCodec.decoded == 2


def test_an_expired_token_is_refused(codec: CountingCodec) -> None:
    tokens = BearerTokens(codec, None)
    token = codec.mint("customer", "cust-1", 1, now=datetime.now(UTC) - timedelta(seconds=60))

    with pytest.raises(InvalidToken, match="expired"):
        principal(tokens, token)


def test_a_changed_token_is_checked_afresh(codec: CountingCodec) -> None:
    tokens = BearerTokens(codec, None)
    token = codec.mint("customer", "cust-1", 600)
    principal(tokens, token)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    with pytest.raises(InvalidToken):
        principal(tokens, forged)
    assert CountingCodec.decoded == 2


def test_the_cache_keeps_at_most_its_size(codec: CountingCodec) -> None:
    tokens = BearerTokens(codec, None, VerifiedTokens(size=3))
    minted = [codec.mint("customer", f"cust-{i}", 600) for i in range(5)]
    for token in minted:
        principal(tokens, token)

    principal(tokens, minted[0])  # dropped as the oldest: checked again

    assert CountingCodec.decoded == 6
