"""Bearer JWT: who is calling (`sub`) and as what (`role`), and dev tokens for `shop token`.

The secret is SHOP_JWT_SECRET; the embedded default (SQLite or memory store) generates one
on first use and keeps it in `<data_dir>/jwt_secret`, so `shop token` and `shop serve`
agree without configuration. Split deployments must set the variable.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path

import jwt

from eventstore.backends import ConfigurationError
from eventstore.settings import Settings

SECRET_FILE = "jwt_secret"
LEEWAY_S = 5


class Role(StrEnum):
    CUSTOMER = "customer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: `sub` is the customer id for customers."""

    sub: str
    role: Role

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired or signed with another key."""


@dataclass(frozen=True)
class TokenCodec:
    """Signs and checks tokens with one secret and one algorithm (the allow-list)."""

    secret: str
    algorithm: str

    def mint(self, role: str, sub: str, ttl_s: int, now: datetime | None = None) -> str:
        issued = now or datetime.now(UTC)
        claims = {
            "sub": sub,
            "role": str(Role(role)),
            "iat": issued,
            "exp": issued + timedelta(seconds=ttl_s),
        }
        return jwt.encode(claims, self.secret, algorithm=self.algorithm)

    def decode(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[self.algorithm],
                options={"require": ["exp", "sub", "role"]},
                leeway=LEEWAY_S,
            )
        except jwt.PyJWTError as error:
            raise InvalidToken(str(error)) from None
        sub, role = claims["sub"], claims["role"]
        if not isinstance(sub, str) or not 0 < len(sub) <= 200 or role not in tuple(Role):
            raise InvalidToken("token has a bad subject or role")
        return Principal(sub=sub, role=Role(role))


def resolve_secret(settings: Settings) -> str:
    """SHOP_JWT_SECRET, or the embedded default's generated secret file."""
    if settings.jwt_secret:
        return settings.jwt_secret
    if settings.event_store not in ("sqlite", "memory"):
        raise ConfigurationError("SHOP_JWT_SECRET must be set outside the embedded default")
    return _secret_file(settings.data_dir / SECRET_FILE)


def _secret_file(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        draft.write_text(secrets.token_urlsafe(64))
        draft.chmod(0o600)
        # link() fails if the file exists: of two processes starting at once, one wins
        # and both read the same complete secret.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def codec_for(settings: Settings) -> TokenCodec:
    return TokenCodec(resolve_secret(settings), settings.jwt_algorithm)


def default_sub(role: str) -> str:
    return "admin" if role == Role.ADMIN else "demo-customer"


def mint_token_from_settings(role: str, sub: str | None, ttl: int) -> str:
    """A token for `shop token`: signed like the server started from the same environment."""
    return codec_for(Settings()).mint(role, sub or default_sub(role), ttl)
