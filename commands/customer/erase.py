"""Erasing a customer (SPEC 8): free the email, destroy the data key, record `Erased`."""

from __future__ import annotations

from commands.handling import accept, load
from commands.ports import KeyedEventStore
from commands.results import Accepted
from domain.customer import (
    Customer,
    EmailClaim,
    EraseCustomer,
    UnknownCustomer,
    customer_stream,
    email_claim_stream,
)


def erase_customer(cmd: EraseCustomer, store: KeyedEventStore) -> Accepted:
    """Three steps, each safe to repeat, in an order that a crash cannot spoil:

    1. release the email's claim, while the email can still be read (after step 2 it
       loads as None and the claim could no longer be found);
    2. erase the data key: from here nothing personal of theirs can be read;
    3. record `Customer.Erased`.

    A crash after 1 or 2 leaves no readable data behind that 2 would not remove, and
    the same command again completes the rest. A repeat after 3 records nothing.
    """
    customer: Customer = load(store, customer_stream(cmd.customer_id), UnknownCustomer)
    if customer.email is not None:
        claim: EmailClaim | None = store.find(email_claim_stream(customer.email))
        if claim is not None:
            claim.release(customer.customer_id)
            accept(store, claim)
    store.keys.erase(customer.customer_id)
    customer.erase()
    return accept(store, customer)
