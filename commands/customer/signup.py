"""Signing up: claim the email and register the customer, in one append where possible."""

from __future__ import annotations

import uuid

from commands.handling import unchanged
from commands.ports import EventStore, Passwords
from commands.results import Accepted
from domain.customer import (
    Customer,
    EmailClaim,
    EmailTaken,
    SignUp,
    customer_stream,
    email_claim_stream,
    normalise_email,
)
from domain.customer.values import check_name, check_password
from domain.shared.base import ConcurrencyConflict, IdempotencyKeyReused

NAMESPACE = uuid.UUID("3d0f6b52-8c1e-5a47-9b2d-e41f0c7a9d63")


def sign_up(cmd: SignUp, store: EventStore, passwords: Passwords, atomic: bool) -> Accepted:
    """A new account, unless the email is taken (409 `email_taken`).

    Two sign-ups with one email both append to its claim stream at the version they read:
    one wins, the other's append conflicts and it is told `email_taken`. `atomic`: the
    store writes several streams in one append (SQLite, PostgreSQL). On EventStoreDB,
    where an append holds one stream, the claim goes first; a crash before the customer's
    append leaves a claim that the same request (same Idempotency-Key) completes.
    """
    email, name = normalise_email(cmd.email), check_name(cmd.name)
    password = check_password(cmd.password)
    customer_id = _customer_id(cmd.request_id)
    claim: EmailClaim | None = store.find(email_claim_stream(email))
    existing: Customer | None = store.find(customer_stream(customer_id))
    if existing is not None:
        return _repeat(existing, claim, email, name)
    if claim is None:
        claim = EmailClaim.claim(email, customer_id)
    else:
        claim.claim_again(customer_id)  # EmailTaken if another account holds it
    customer = Customer.register(customer_id, email, name, passwords.hash(password))
    try:
        if atomic:
            position = store.save(claim, customer)
        else:
            store.save(claim)
            position = store.save(customer)
    except ConcurrencyConflict:
        _raise_if_taken(store, email, customer_id)
        raise
    return Accepted(customer.id, customer.version, position)


def _customer_id(request_id: str | None) -> str:
    """From the Idempotency-Key's request id, so a retry names the same account."""
    return str(uuid.uuid5(NAMESPACE, request_id) if request_id else uuid.uuid4())


def _repeat(existing: Customer, claim: EmailClaim | None, email: str, name: str) -> Accepted:
    """The request was made before: the same answer, or 409 if the key came with another body."""
    if (existing.email, existing.name) != (email, name) or claim is None:
        raise IdempotencyKeyReused("this Idempotency-Key was already used for another sign-up")
    return unchanged(existing.id, existing.version)


def _raise_if_taken(store: EventStore, email: str, customer_id: str) -> None:
    """The lost race was for the email: another account holds it now."""
    claim: EmailClaim | None = store.find(email_claim_stream(email))
    if claim is not None and claim.held and claim.customer_id != customer_id:
        raise EmailTaken("this email is already registered")
