"""Changing an account: its name and address book, its password."""

from __future__ import annotations

from commands.handling import accept, load
from commands.ports import EventStore, Passwords
from commands.results import Accepted
from domain.customer import ChangePassword, ChangeProfile, Customer, UnknownCustomer
from domain.customer import customer_stream as stream
from domain.customer.values import check_password


def change_profile(cmd: ChangeProfile, store: EventStore) -> Accepted:
    """PATCH: a part left out (None) stays; `addresses` replaces the list (add and
    remove facts for the difference, nothing for an address sent back unchanged)."""
    customer: Customer = load(store, stream(cmd.customer_id), UnknownCustomer)
    if cmd.name is not None:
        customer.change_name(cmd.name)
    if cmd.addresses is not None:
        customer.replace_addresses(list(cmd.addresses))
    return accept(store, customer)


def change_password(cmd: ChangePassword, store: EventStore, passwords: Passwords) -> Accepted:
    password = check_password(cmd.password)
    customer: Customer = load(store, stream(cmd.customer_id), UnknownCustomer)
    customer.change_password(passwords.hash(password))
    return accept(store, customer)
