"""An account's email is where messages go when an order names no contact; erasing the
customer drops every copy of that address the shop keeps: the delivery records' recipient
and the .eml files of the embedded outbox. A message still waiting is SKIPPED, not sent."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from sqlalchemy import select

from domain.customer import EraseCustomer, SignUp
from domain.order import PlaceOrder
from notifications import build_notifier
from notifications.records import NOTIFICATIONS, SENT, SKIPPED
from tests.notifications.test_notifier import records
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop

pytestmark = pytest.mark.scenario
EMAIL = "seo.yuna@example.com"


@pytest.fixture
def shop(backend: str, settings_for) -> Iterator[FulfilmentShop]:
    settings = settings_for(backend, password_memory_kib=1024, password_time_cost=1)
    the_shop = FulfilmentShop(settings)
    yield the_shop
    the_shop.close()


def an_account_with_an_order(shop: FulfilmentShop) -> str:
    """A signed-up customer whose confirmed order names no contact: their account's id."""
    shop.stock("SKU-1", 5)
    accepted = shop.bus.handle(SignUp(EMAIL, "correct horse battery", "Seo Yuna"))
    customer_id = accepted.stream_id.removeprefix("customer-")
    lines = [{"sku": "SKU-1", "quantity": 1}]
    shop.bus.handle(PlaceOrder(customer_id, str(uuid4()), lines, None, "tok_ok", ADDRESS, None))
    shop.settle()
    return customer_id


def stored_recipients(shop: FulfilmentShop, customer_id: str) -> list[tuple[object, ...]]:
    table = NOTIFICATIONS
    query = select(table.c.recipient, table.c.sealed_recipient, table.c.status).where(
        table.c.customer_id == customer_id
    )
    with records(shop).engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def test_an_account_email_receives_and_erasure_forgets_it(shop: FulfilmentShop) -> None:
    customer_id = an_account_with_an_order(shop)
    notifier = build_notifier(shop.container)
    try:
        notifier.run_until_idle()
        outbox = shop.container.settings.data_dir / "outbox"
        [eml] = outbox.glob("*.eml")
        assert f"To: {EMAIL}" in eml.read_text()
        [(clear, sealed, status)] = stored_recipients(shop, customer_id)
        assert (clear, status) == (None, SENT)
        assert sealed is not None
        assert EMAIL not in sealed  # sealed under their key

        shop.bus.handle(EraseCustomer(customer_id))
        notifier.run_until_idle()

        assert list(outbox.glob("*.eml")) == []
        assert stored_recipients(shop, customer_id) == [(None, None, SENT)]
    finally:
        notifier.close()


def test_a_message_waiting_when_its_customer_is_erased_is_skipped(shop: FulfilmentShop) -> None:
    customer_id = an_account_with_an_order(shop)
    notifier = build_notifier(shop.container)
    try:
        notifier.notifier.run_batch()  # recorded, not sent yet
        shop.container.store.keys.erase(customer_id)  # erased before the sender runs

        notifier.notifier.fire_deadlines()

        [(_, _, status)] = stored_recipients(shop, customer_id)
        assert status == SKIPPED
        assert not list((shop.container.settings.data_dir / "outbox").glob("*.eml"))
    finally:
        notifier.close()
