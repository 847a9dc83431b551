"""Bearer JWT: who is calling (`sub`) and as what (`role`), and dev tokens for `shop token`.

The secret is SHOP_JWT_SECRET; the embedded default (SQLite or memory store) generates one
on first use and keeps it in `<data_dir>/jwt_secret`, so `shop token` and `shop serve`
agree without configuration. Split deployments must set the variable.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import jwt

from config.settings import ConfigurationError, Settings
from domain.shared.base import InvalidInput
from domain.shared.ids import CUSTOMER_ID_RULE, check_customer_id

SECRET_FILE = "jwt_secret"
LEEWAY_S = 5
MAX_TOKEN_CHARS = 8192


class Role(StrEnum):
    CUSTOMER = "customer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: `sub` is the customer id for customers."""

    sub: str
    role: Role
    # When the token it came from stops being accepted (epoch seconds, leeway included);
    # not part of who the caller is.
    expires_at: float = field(default=float("inf"), compare=False)

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
            "sub": check_customer_id(sub),
            "role": str(Role(role)),
            "iat": issued,
            "exp": issued + timedelta(seconds=ttl_s),
        }
        return jwt.encode(claims, self.secret, algorithm=self.algorithm)

    def decode(self, token: str) -> Principal:
        if len(token) > MAX_TOKEN_CHARS:
            raise InvalidToken(f"token longer than {MAX_TOKEN_CHARS} characters")
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
        return Principal(check_claims(claims), _role(claims["role"]), expiry(claims))


def expiry(claims: dict[str, Any]) -> float:
    """When verified `claims` stop being accepted: `exp` plus the leeway."""
    return float(claims["exp"]) + LEEWAY_S


def check_claims(claims: dict[str, object]) -> str:
    """The customer id of verified claims, once their dates are numbers (either issuer)."""
    _check_numeric_dates(claims)
    return _subject(claims["sub"])


def _subject(sub: object) -> str:
    """The customer-id policy, applied once where the token is verified: a `sub` the API
    could not serve on every customer route is refused here with the rule it broke."""
    try:
        return check_customer_id(sub)  # type: ignore[arg-type]
    except InvalidInput:
        raise InvalidToken(f"token subject must be {CUSTOMER_ID_RULE}") from None


def _role(role: object) -> Role:
    if not isinstance(role, str) or role not in tuple(Role):
        raise InvalidToken(f"token role must be one of {', '.join(Role)}")
    return Role(role)


def _check_numeric_dates(claims: dict[str, object]) -> None:
    # PyJWT takes "exp": "1700000000" as a number; RFC 7519 says NumericDate is a number.
    for name in ("exp", "iat", "nbf"):
        value = claims.get(name)
        if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidToken(f"token claim {name!r} must be a number")


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


class UnusedDataDir(ConfigurationError):
    """`shop token` was pointed at a data dir no server has used: no server would accept
    what it minted."""


def require_used_data_dir(settings: Settings) -> None:
    """Refuse to mint on the embedded default when the data dir has neither a secret nor a log.

    A token minted there is signed with a secret generated on the spot, one no running
    server knows: usually `shop token` was run from another directory than `shop serve`
    and resolved another `./var`. Failing here names the directory; minting would end in
    "Signature verification failed" from the server.
    """
    if settings.jwt_secret or settings.event_store not in ("sqlite", "memory"):
        return
    if (settings.data_dir / SECRET_FILE).exists() or settings.events_sqlite_path.exists():
        return
    raise UnusedDataDir(
        f"no shop data in {settings.data_dir.resolve()}: no server has used this data dir, "
        "so a token signed here would be refused. Run `shop token` where `shop serve` runs, "
        "or set SHOP_DATA_DIR to the server's data dir (or SHOP_JWT_SECRET to its secret)."
    )


def mint_token_from_settings(role: str, sub: str | None, ttl: int) -> str:
    """A token for `shop token`: signed like the server started from the same environment."""
    return codec_for(Settings()).mint(role, sub or default_sub(role), ttl)
