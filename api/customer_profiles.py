"""A customer's email, name and addresses, read from their aggregate in the event store.

No read model holds them (SPEC 8): they rest only in the customer's events, sealed with
their key, and the store opens them on loading. Once the key is erased they load as
None, and so they answer null here.
"""

from __future__ import annotations

from typing import Any

from api.schemas.customers import Address, CustomerItem, CustomerProfile
from commands.ports import EventStore
from domain.customer import Customer, CustomerStatus, customer_stream


def load_customer(store: EventStore, customer_id: str) -> Customer | None:
    customer: Customer | None = store.find(customer_stream(customer_id))
    return customer


def item_of(customer: Customer) -> CustomerItem:
    return CustomerItem(**_fields(customer))


def profile_of(customer: Customer) -> CustomerProfile:
    addresses = [
        Address(address_id=address_id, **address)
        for address_id, address in customer.addresses.items()
        if address is not None
    ]
    return CustomerProfile(**_fields(customer), addresses=addresses)


def _fields(customer: Customer) -> dict[str, Any]:
    status = CustomerStatus.ERASED if customer.erased else CustomerStatus.ACTIVE
    return {
        "customer_id": customer.customer_id,
        "email": customer.email,
        "name": customer.name,
        "status": str(status),
        "registered_at": customer.registered_at.isoformat(),
    }
