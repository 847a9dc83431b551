"""Account handlers on the in-memory store: sign-up, profile, credentials, erasure."""

from __future__ import annotations

import pytest

from adapters.passwords import Argon2Passwords
from commands.bus import CommandBus, build_command_bus
from commands.customer import credentials_for, customer_handlers, rehash_password
from domain.customer import (
    ChangeProfile,
    EmailTaken,
    EraseCustomer,
    SignUp,
    UnknownCustomer,
    email_claim_stream,
)
from domain.shared.base import IdempotencyKeyReused, InvalidInput
from eventstore.application import ShopStore
from tests.unit.commands.setup import NOW

PASSWORDS = Argon2Passwords(time_cost=1, memory_kib=1024, parallelism=1)


@pytest.fixture(params=[True, False], ids=["one-append", "claim-first"])
def accounts(store: ShopStore, request: pytest.FixtureRequest) -> CommandBus:
    handlers = customer_handlers(store, PASSWORDS, atomic=request.param)
    return build_command_bus(store, lambda: NOW, extra=handlers)


def signed_up(bus: CommandBus, email: str = "ann@example.com", key: str | None = None) -> str:
    accepted = bus.handle(SignUp(email, "correct horse", "Ann", key))
    return accepted.stream_id.removeprefix("customer-")


def test_sign_up_claims_the_email_for_the_new_account(accounts, store):
    customer_id = signed_up(accounts, " Ann@Example.COM ")

    found = credentials_for(store, "ann@example.com")

    assert found is not None
    assert (found.customer_id, found.erased) == (customer_id, False)
    assert PASSWORDS.verify(found.password_hash, "correct horse")


def test_a_second_account_with_the_same_email_is_refused(accounts):
    signed_up(accounts)

    with pytest.raises(EmailTaken):
        signed_up(accounts, "ANN@example.com")


def test_a_repeat_with_the_same_key_is_the_same_account_and_records_nothing(accounts):
    first = signed_up(accounts, key="k-1")

    repeat = accounts.handle(SignUp("ann@example.com", "correct horse", "Ann", "k-1"))

    assert (repeat.stream_id, repeat.changed) == (f"customer-{first}", False)
    with pytest.raises(IdempotencyKeyReused):
        accounts.handle(SignUp("bo@example.com", "correct horse", "Bo", "k-1"))


def test_a_short_password_is_input_shaped(accounts):
    with pytest.raises(InvalidInput):
        accounts.handle(SignUp("ann@example.com", "short", "Ann"))


def test_an_unknown_email_has_no_credentials(store):
    assert credentials_for(store, "nobody@example.com") is None
    assert credentials_for(store, "not an email") is None


def test_rehash_records_the_new_hash(accounts, store):
    customer_id = signed_up(accounts)

    rehash_password(store, customer_id, "new-hash")

    assert credentials_for(store, "ann@example.com").password_hash == "new-hash"


def test_erasure_forgets_the_person_frees_the_email_and_is_idempotent(accounts, store):
    customer_id = signed_up(accounts)
    accounts.handle(ChangeProfile(customer_id, addresses=()))

    accounts.handle(EraseCustomer(customer_id))
    repeat = accounts.handle(EraseCustomer(customer_id))

    customer = store.get(f"customer-{customer_id}")
    assert (customer.erased, customer.email, customer.name) == (True, None, None)
    assert repeat.changed is False
    assert credentials_for(store, "ann@example.com").erased is True
    assert signed_up(accounts) != customer_id


def test_erasing_an_unknown_customer_is_not_found(accounts):
    with pytest.raises(UnknownCustomer):
        accounts.handle(EraseCustomer("00000000-0000-0000-0000-000000000000"))


def test_an_erasure_that_crashed_after_the_key_went_completes_when_sent_again(accounts, store):
    customer_id = signed_up(accounts)
    claim = store.get(email_claim_stream("ann@example.com"))
    claim.release(customer_id)  # steps 1 and 2 of a first attempt, then the crash
    store.save(claim)
    store.keys.erase(customer_id)

    accounts.handle(EraseCustomer(customer_id))

    assert store.get(f"customer-{customer_id}").erased
    assert signed_up(accounts) != customer_id


def test_the_stored_events_hold_no_readable_email_or_name(accounts, store):
    customer_id = signed_up(accounts)
    accounts.handle(ChangeProfile(customer_id, name="Ann Park"))

    stored = store.recorder.select_events(f"customer-{customer_id}")

    assert all(b"ann@example.com" not in s.state and b'"Ann' not in s.state for s in stored)
