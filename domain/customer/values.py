"""A customer's email, name and postal addresses, checked; and how an email names its claim."""

from __future__ import annotations

import hashlib
import json
import re
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from domain.shared.base import InvalidInput
from domain.shared.checks import check_text

# Deliberately loose (one @, a dot in the domain, no spaces): the mailbox is proven by
# mail, not by a pattern.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
ADDRESS_FIELDS = {"name": 200, "line1": 200, "line2": 200, "city": 100, "postal_code": 20}
MAX_ADDRESSES = 20
MIN_PASSWORD = 10
MAX_PASSWORD = 1024


class CustomerStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ERASED = "ERASED"


def normalise_email(email: Any) -> str:
    """The email as an account knows it: stripped, lower-case, checked."""
    if not isinstance(email, str):
        raise InvalidInput("email must be a string")
    stripped = check_text(email.strip(), "email", max_len=254)  # no control characters
    if not _EMAIL.match(stripped):
        raise InvalidInput("email must look like name@example.com")
    return stripped.lower()


def email_claim_stream(email: str) -> str:
    """`email-<sha256 hex>` of the normalised email: the stream name holds no address."""
    digest = hashlib.sha256(normalise_email(email).encode()).hexdigest()
    return f"email-{digest}"


def check_name(name: Any) -> str:
    return check_text(name, "name", max_len=200)


def check_password(password: Any) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(f"password must be {MIN_PASSWORD}..{MAX_PASSWORD} characters")
    return password


def check_address(address: Any) -> dict[str, str]:
    """A shipping address of SPEC 6: {name, line1, line2?, city, postal_code, country}."""
    if not isinstance(address, dict):
        raise InvalidInput("an address must be an object")
    unknown = set(address) - set(ADDRESS_FIELDS) - {"country"}
    if unknown:
        raise InvalidInput(f"an address has no field {sorted(unknown)[0]!r}")
    checked = {}
    for field, max_len in ADDRESS_FIELDS.items():
        if field == "line2" and address.get(field) is None:
            continue
        checked[field] = check_text(address.get(field), f"address {field}", max_len=max_len)
    country = address.get("country")
    if not isinstance(country, str) or not _COUNTRY.match(country):
        raise InvalidInput("address country must be ISO 3166 alpha-2, like KR")
    checked["country"] = country
    return checked


def address_id(customer_id: str, address: dict[str, str]) -> str:
    """The same address of the same customer always has the same id, so a PATCH that
    sends the list back unchanged records nothing."""
    canonical = json.dumps([customer_id, address], sort_keys=True)
    return str(uuid5(NAMESPACE_URL, f"/customers/addresses/{canonical}"))
