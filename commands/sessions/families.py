"""Refresh tokens: one family per login, one live token per family, each usable once.

A token is `<family_id>.<secret>`; the family's row keeps the SHA-256 of the live secret.
Rotating is a compare-and-set (`UPDATE ... WHERE family_id = ? AND current_hash = ? AND
NOT revoked`): of two refreshes with one token, racing in two processes or not, exactly
one moves the family on. Any other use of a token the family has moved past is a reuse,
and a reuse revokes the family: the thief's copy and the owner's newest token both stop
working, and the owner logs in again. (So a client that sends one refresh twice at once
is logged out: it must wait for the first answer.) A family also ends at `expires_at`,
the login's lifetime from its start, however often it is refreshed.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import sqlalchemy as sa

from commands.ports import Clock
from commands.sessions.tables import REFRESH_FAMILIES, create_tables

MAX_TOKEN_CHARS = 200


class RefreshRefused(Exception):
    """The refresh token is unknown, expired, revoked or was used before."""


@dataclass(frozen=True)
class Rotated:
    customer_id: str
    refresh_token: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parse(token: str) -> tuple[str, str]:
    family_id, _, secret = token.partition(".") if len(token) <= MAX_TOKEN_CHARS else ("", "", "")
    if not family_id or not secret:
        raise RefreshRefused("malformed refresh token")
    return family_id, secret


class RefreshFamilies:
    def __init__(self, engine: sa.Engine, clock: Clock, ttl_s: int) -> None:
        self.engine, self.clock, self.ttl_s = engine, clock, ttl_s

    def create_tables(self) -> None:
        create_tables(self.engine)

    def start(self, customer_id: str) -> str:
        """A new login's family and its first refresh token."""
        family_id, secret = uuid.uuid4().hex, secrets.token_urlsafe(32)
        now = self.clock().timestamp()
        row = {
            "family_id": family_id,
            "customer_id": customer_id,
            "current_hash": _hash(secret),
            "created_at": now,
            "expires_at": now + self.ttl_s,
            "revoked": False,
        }
        with self.engine.begin() as conn:
            conn.execute(REFRESH_FAMILIES.insert().values(**row))
        return f"{family_id}.{secret}"

    def rotate(self, token: str) -> Rotated:
        """The family's next token in exchange for its live one; a reuse revokes it."""
        family_id, secret = _parse(token)
        row = self._row(family_id)
        if row is None or row.revoked or row.expires_at <= self.clock().timestamp():
            raise RefreshRefused("the refresh token has expired or was revoked; log in again")
        fresh = secrets.token_urlsafe(32)
        table = REFRESH_FAMILIES.c
        swap = (
            REFRESH_FAMILIES.update()
            .where(table.family_id == family_id, table.current_hash == _hash(secret))
            .where(table.revoked == sa.false())
            .values(current_hash=_hash(fresh))
        )
        with self.engine.begin() as conn:
            moved = conn.execute(swap).rowcount == 1
        if not moved:
            self.revoke(family_id)
            raise RefreshRefused("the refresh token was used before; the login is revoked")
        return Rotated(row.customer_id, f"{family_id}.{fresh}")

    def revoke(self, family_id: str) -> None:
        self._revoke(REFRESH_FAMILIES.c.family_id == family_id)

    def revoke_customer(self, customer_id: str) -> None:
        """Every login of the customer (an erased account)."""
        self._revoke(REFRESH_FAMILIES.c.customer_id == customer_id)

    def _revoke(self, which: sa.ColumnElement[bool]) -> None:
        with self.engine.begin() as conn:
            conn.execute(REFRESH_FAMILIES.update().where(which).values(revoked=True))

    def _row(self, family_id: str) -> sa.Row[tuple[object, ...]] | None:
        query = sa.select(REFRESH_FAMILIES).where(REFRESH_FAMILIES.c.family_id == family_id)
        with self.engine.connect() as conn:
            return conn.execute(query).first()
