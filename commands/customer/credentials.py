"""What a login needs to know of an account, found by email; and a login's rehash."""

from __future__ import annotations

from dataclasses import dataclass

from commands.ports import EventStore
from domain.customer import Customer, EmailClaim, customer_stream, email_claim_stream
from domain.shared.base import InvalidInput


@dataclass(frozen=True)
class Credentials:
    customer_id: str
    password_hash: str
    erased: bool


def credentials_for(store: EventStore, email: str) -> Credentials | None:
    """The account `email` leads to, via its EmailClaim (not a read model, which may lag);
    None for an email no account ever held. A released claim leads to its last holder,
    who was erased (`erased=True`), so a login can refuse them as it refuses anyone."""
    try:
        stream = email_claim_stream(email)
    except InvalidInput:
        return None
    claim: EmailClaim | None = store.find(stream)
    if claim is None:
        return None
    customer: Customer | None = store.find(customer_stream(claim.customer_id))
    if customer is None:  # the claim's append landed, the customer's not (EventStoreDB)
        return None
    erased = customer.erased or not claim.held
    return Credentials(customer.customer_id, customer.password_hash, erased)


def rehash_password(store: EventStore, customer_id: str, password_hash: str) -> None:
    """Record a new hash of the same password (a login found the old one's parameters
    outdated); nothing if the hash is unchanged."""
    customer: Customer = store.get(customer_stream(customer_id))
    customer.change_password(password_hash)
    if customer.pending_events:
        store.save(customer)
