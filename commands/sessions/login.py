"""Logging in with an email and a password, and refreshing a login.

Every refusal of a login is the same `LoginRefused`, whatever the reason (no such email,
wrong password, an erased account), and costs the same: an unknown email is checked
against a dummy hash made with today's parameters, so the time taken does not tell
whether an account exists. A successful login whose hash was made with older argon2
parameters records a fresh hash of the same password.

A refresh also asks the customer's stream whether the account was erased since: an
erased customer's logins are revoked and refused (their access tokens live on until they
expire, at most SHOP_ACCESS_TOKEN_TTL_S).
"""

from __future__ import annotations

import contextlib
import secrets
from dataclasses import dataclass
from functools import cached_property

from commands.customer import credentials_for, rehash_password
from commands.ports import EventStore, Passwords
from commands.sessions.families import RefreshFamilies, RefreshRefused
from commands.sessions.throttle import LoginThrottle
from domain.customer import customer_stream
from domain.shared.base import ConcurrencyConflict


class LoginRefused(Exception):
    """Wrong email or password (which one is not said)."""


@dataclass(frozen=True)
class Session:
    customer_id: str
    refresh_token: str


class Logins:
    def __init__(
        self,
        store: EventStore,
        passwords: Passwords,
        throttle: LoginThrottle,
        families: RefreshFamilies,
    ) -> None:
        self.store, self.passwords = store, passwords
        self.throttle, self.families = throttle, families

    @cached_property
    def _dummy_hash(self) -> str:
        return self.passwords.hash(secrets.token_urlsafe(16))

    def create_tables(self) -> None:
        self.throttle.create_tables()
        self.families.create_tables()

    def login(self, email: str, password: str) -> Session:
        """A new login; raises `LoginRefused`, or `TooManyFailures` before any check."""
        attempt = self.throttle.begin(email)
        credentials = credentials_for(self.store, email)
        stored = credentials.password_hash if credentials else None
        matches = self.passwords.verify(stored or self._dummy_hash, password)
        if credentials is None or credentials.erased or not stored or not matches:
            raise LoginRefused("wrong email or password")
        self.throttle.succeeded(attempt)
        if self.passwords.needs_rehash(stored):
            self._rehash(credentials.customer_id, password)
        return Session(credentials.customer_id, self.families.start(credentials.customer_id))

    def refresh(self, refresh_token: str) -> Session:
        """The login's next refresh token; raises `RefreshRefused`."""
        rotated = self.families.rotate(refresh_token)
        customer = self.store.find(customer_stream(rotated.customer_id))
        if customer is None or customer.erased:
            self.families.revoke_customer(rotated.customer_id)
            raise RefreshRefused("the account was erased")
        return Session(rotated.customer_id, rotated.refresh_token)

    def _rehash(self, customer_id: str, password: str) -> None:
        # The account changed meanwhile: the next login upgrades the hash.
        with contextlib.suppress(ConcurrencyConflict):
            rehash_password(self.store, customer_id, self.passwords.hash(password))
