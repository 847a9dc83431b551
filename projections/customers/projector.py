"""`CustomersProjector`: one row per account, its status and dates, nothing personal."""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.utils import get_topic

from domain.customer import Customer, CustomerStatus
from eventstore.log import Logged
from projections.core import Docs, Key
from projections.events import iso, stream_key

HANDLED = (
    Customer.Registered,
    Customer.ProfileChanged,
    Customer.AddressAdded,
    Customer.AddressRemoved,
    Customer.PasswordChanged,
    Customer.Erased,
)


class CustomersProjector:
    """Documents `customer` {customer_id, status, registered_at, updated_at, position}.

    Deliberately no email, name or address: personal data rests only in the events,
    sealed under the customer's key, so erasing the key erases it everywhere, rebuilds
    included. Whoever needs a name (the admin list) loads the aggregate from the store.
    """

    name = "customers"
    topics = tuple(get_topic(cls) for cls in HANDLED)

    def keys(self, logged: Logged) -> Iterable[Key]:
        return [("customer", stream_key(logged))]

    def apply(self, logged: Logged, docs: Docs) -> None:
        event, customer_id = logged.event, stream_key(logged)
        at = iso(event.timestamp)
        if isinstance(event, Customer.Registered):
            docs.put(
                "customer",
                customer_id,
                {
                    "customer_id": customer_id,
                    "status": CustomerStatus.ACTIVE,
                    "registered_at": at,
                    "updated_at": at,
                    "position": logged.position,
                },
            )
        elif docs.get("customer", customer_id) is not None:
            status = CustomerStatus.ERASED if isinstance(event, Customer.Erased) else None
            changes = {"status": status} if status else {}
            docs.update("customer", customer_id, updated_at=at, **changes)
