"""What can be asked of a customer account; `commands/customer.py` carries them out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SignUp:
    """`request_id`: from the caller's Idempotency-Key; a retry finds the same account."""

    email: str
    password: str = field(repr=False)
    name: str
    request_id: str | None = None


@dataclass(frozen=True)
class ChangeProfile:
    """PATCH semantics: None leaves a part as it is; `addresses` replaces the whole list."""

    customer_id: str
    name: str | None = None
    addresses: tuple[Any, ...] | None = None


@dataclass(frozen=True)
class ChangePassword:
    customer_id: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class EraseCustomer:
    customer_id: str
