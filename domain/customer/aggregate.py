"""The Customer aggregate: an account, its profile and addresses, until it is erased."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from eventsourcing.domain import event

from domain.customer.errors import CustomerErased
from domain.customer.values import MAX_ADDRESSES, address_id, check_address, check_name
from domain.shared.base import Created, EventSourced, InvalidInput

STREAM_PREFIX = "customer-"


def customer_stream(customer_id: str) -> str:
    return f"{STREAM_PREFIX}{customer_id}"


class CustomerEvent(EventSourced.Event):
    """Sealed under the key of the customer the stream is about (its id, after the prefix),
    also for the events that do not repeat the customer id."""

    def data_subject(self) -> str | None:
        return self.originator_id.removeprefix(STREAM_PREFIX)


class Customer(EventSourced):
    """Stream `customer-<uuid>`; the uuid is the customer id and the `sub` of their token.

    Invariants: nothing is recorded after `Erased`. Email, name and addresses are personal
    data, sealed with the customer's key: after erasure they load as None, so every
    mutator here accepts None. The password hash is not personal and stays readable, so
    an erased account is still refused cleanly at login. One account per email is the
    `EmailClaim` stream's to guard, written with `Registered` in one append.
    """

    TOPIC = "shop.customer"

    class Registered(Created, CustomerEvent):
        TOPIC = "shop.customer.registered"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("email", "name")
        customer_id: str
        email: str | None
        name: str | None
        password_hash: str

    class ProfileChanged(CustomerEvent):
        TOPIC = "shop.customer.profile_changed"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("name",)
        name: str | None

    class AddressAdded(CustomerEvent):
        TOPIC = "shop.customer.address_added"
        PERSONAL_FIELDS: ClassVar[tuple[str, ...]] = ("address",)
        address_id: str
        address: dict[str, str] | None

    class AddressRemoved(CustomerEvent):
        TOPIC = "shop.customer.address_removed"
        address_id: str

    class PasswordChanged(CustomerEvent):
        TOPIC = "shop.customer.password_changed"
        password_hash: str

    class Erased(CustomerEvent):
        TOPIC = "shop.customer.erased"

    @staticmethod
    def create_id(customer_id: str) -> str:
        return customer_stream(customer_id)

    @classmethod
    def register(cls, customer_id: str, email: str, name: str, password_hash: str) -> Customer:
        """`email` is already normalised (`values.normalise_email`), its claim taken."""
        return cls(
            customer_id=customer_id, email=email, name=check_name(name), password_hash=password_hash
        )

    @event(Registered)
    def __init__(
        self, customer_id: str, email: str | None, name: str | None, password_hash: str
    ) -> None:
        self.customer_id = customer_id
        self.email = email
        self.name = name
        self.password_hash = password_hash
        self.addresses: dict[str, dict[str, str] | None] = {}
        self.erased = False

    @property
    def registered_at(self) -> datetime:
        return self.created_on

    def change_name(self, name: str) -> None:
        self._require_active()
        name = check_name(name)
        if name != self.name:
            self._profile_changed(name)

    def replace_addresses(self, addresses: list[Any]) -> None:
        """Make the address book exactly `addresses`: add the new, remove the missing."""
        self._require_active()
        wanted = {}
        for address in addresses:
            checked = check_address(address)
            wanted[address_id(self.customer_id, checked)] = checked
        if len(wanted) > MAX_ADDRESSES:
            raise InvalidInput(f"a customer keeps at most {MAX_ADDRESSES} addresses")
        for gone in [known for known in self.addresses if known not in wanted]:
            self._address_removed(gone)
        for new_id, address in wanted.items():
            if new_id not in self.addresses:
                self._address_added(new_id, address)

    def change_password(self, password_hash: str) -> None:
        self._require_active()
        if password_hash != self.password_hash:
            self._password_changed(password_hash)

    def erase(self) -> None:
        """Close the account for good; a repeat records nothing."""
        if not self.erased:
            self._erased()

    def _require_active(self) -> None:
        if self.erased:
            raise CustomerErased(f"customer {self.customer_id} was erased")

    @event(ProfileChanged)
    def _profile_changed(self, name: str | None) -> None:
        self.name = name

    @event(AddressAdded)
    def _address_added(self, address_id: str, address: dict[str, str] | None) -> None:
        self.addresses[address_id] = address

    @event(AddressRemoved)
    def _address_removed(self, address_id: str) -> None:
        self.addresses.pop(address_id, None)

    @event(PasswordChanged)
    def _password_changed(self, password_hash: str) -> None:
        self.password_hash = password_hash

    @event(Erased)
    def _erased(self) -> None:
        self.erased = True
        self.email = self.name = None
        self.addresses = dict.fromkeys(self.addresses)
