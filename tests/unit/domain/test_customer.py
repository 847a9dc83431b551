"""Customer and EmailClaim: given facts, when a method is called, then new facts or a refusal."""

from __future__ import annotations

import pytest

from domain.customer import Customer, CustomerErased, EmailClaim, EmailTaken
from domain.customer.values import email_claim_stream
from domain.shared.base import InvalidInput

ID = "5d1f9a52-0f3e-4c1d-9a57-6a0b2f3c4d5e"
HOME = {"name": "Ann Lee", "line1": "1 Main St", "city": "Seoul", "postal_code": "04524",
        "country": "KR"}  # fmt: skip
WORK = HOME | {"line1": "9 Side St", "line2": "Floor 3"}


def registered() -> Customer:
    customer = Customer.register(ID, "ann@example.com", "Ann", "hash-1")
    customer.collect_events()
    return customer


def test_registering_records_the_customer_with_its_id_as_the_data_subject():
    [fact] = Customer.register(ID, "ann@example.com", "Ann", "h").collect_events()

    assert isinstance(fact, Customer.Registered)
    assert (fact.originator_id, fact.email, fact.data_subject()) == (
        f"customer-{ID}",
        "ann@example.com",
        ID,
    )


def test_events_without_the_customer_id_are_sealed_by_the_stream_s_customer():
    customer = registered()
    customer.change_name("Bo")

    [fact] = customer.collect_events()

    assert fact.data_subject() == ID
    assert Customer.ProfileChanged.PERSONAL_FIELDS == ("name",)
    assert "password_hash" not in Customer.Registered.PERSONAL_FIELDS


def test_replacing_addresses_records_only_the_difference():
    customer = registered()
    customer.replace_addresses([HOME])
    customer.collect_events()

    customer.replace_addresses([WORK, HOME])
    customer.replace_addresses([WORK])

    facts = customer.collect_events()
    assert [type(f).__name__ for f in facts] == ["AddressAdded", "AddressRemoved"]
    assert list(customer.addresses.values()) == [WORK]


def test_an_address_without_a_valid_country_is_refused():
    with pytest.raises(InvalidInput):
        registered().replace_addresses([HOME | {"country": "Korea"}])


def test_nothing_is_recorded_after_erasure():
    customer = registered()
    customer.erase()
    customer.collect_events()

    with pytest.raises(CustomerErased):
        customer.change_name("Bo")
    customer.erase()
    assert customer.collect_events() == []


def test_facts_whose_personal_fields_were_erased_still_replay():
    history = [
        Customer.Registered(originator_id=f"customer-{ID}", originator_version=0,
                            timestamp=Customer.Registered.create_timestamp(),
                            originator_topic="shop.customer", customer_id=ID,
                            email=None, name=None, password_hash="h"),
    ]  # fmt: skip

    customer = history[0].mutate(None)

    assert (customer.email, customer.name, customer.password_hash) == (None, None, "h")


def test_a_held_email_cannot_be_claimed_by_another_account():
    claim = EmailClaim.claim(" Ann@Example.com ", "a")

    with pytest.raises(EmailTaken):
        claim.claim_again("b")
    assert claim.id == email_claim_stream("ann@example.com")


def test_a_released_email_can_be_claimed_again():
    claim = EmailClaim.claim("ann@example.com", "a")
    claim.release("a")

    claim.claim_again("b")

    assert (claim.held, claim.customer_id) == (True, "b")


@pytest.mark.parametrize("email", ["a\x04b@example.com", "ann@exa\udb5cmple.com", "ann@example"])
def test_an_email_with_control_characters_or_no_domain_is_refused(email):
    with pytest.raises(InvalidInput):
        email_claim_stream(email)
