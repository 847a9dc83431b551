"""Customer accounts' handlers: sign-up, profile, password, erasure; credentials for login."""

from __future__ import annotations

from functools import partial
from typing import Any

from commands.customer.credentials import Credentials, credentials_for, rehash_password
from commands.customer.erase import erase_customer
from commands.customer.profile import change_password, change_profile
from commands.customer.signup import sign_up
from commands.ports import KeyedEventStore, Passwords
from domain.customer import ChangePassword, ChangeProfile, EraseCustomer, SignUp

__all__ = [
    "Credentials",
    "change_password",
    "change_profile",
    "credentials_for",
    "customer_handlers",
    "erase_customer",
    "rehash_password",
    "sign_up",
]


def customer_handlers(
    store: KeyedEventStore, passwords: Passwords, atomic: bool
) -> dict[type, Any]:
    """The account handlers, bound to their store and password hasher. `atomic`: the
    store appends several streams at once (not EventStoreDB)."""
    return {
        SignUp: partial(sign_up, store=store, passwords=passwords, atomic=atomic),
        ChangeProfile: partial(change_profile, store=store),
        ChangePassword: partial(change_password, store=store, passwords=passwords),
        EraseCustomer: partial(erase_customer, store=store),
    }
