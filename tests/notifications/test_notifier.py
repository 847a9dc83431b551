"""Customer notifications end to end in-process, against a real SMTP server: every kind
arrives once, replays send nothing, refusals are retried, DEAD until an admin retries."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from domain.order import PlaceOrder
from domain.shared import ids
from notifications import NAME, build_notifier
from notifications.records import (
    DEAD,
    FAILED,
    NOTIFICATIONS,
    SENT,
    SKIPPED,
    NotificationRecords,
)
from tests.notifications.smtp_server import SmtpServer
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop

pytestmark = pytest.mark.scenario
KIM = "kim@example.com"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def shop(backend: str, settings_for, smtp: SmtpServer) -> Iterator[FulfilmentShop]:
    settings = settings_for(
        backend,
        smtp_url=smtp.url,
        mail_from="Acme Shop <shop@acme.test>",
        notification_max_attempts=3,
    )
    the_shop = FulfilmentShop(settings)
    yield the_shop
    the_shop.close()


@pytest.fixture
def notifier(shop: FulfilmentShop) -> Iterator[Any]:
    runner = build_notifier(shop.container)
    yield runner
    runner.close()


def records(shop: FulfilmentShop) -> NotificationRecords:
    return NotificationRecords(shop.container.read_models.dead_letters.engine)


def place(shop: FulfilmentShop, email: str | None = KIM, quantity: int = 2) -> str:
    contact = None if email is None else {"email": email}
    lines = [{"sku": "SKU-1", "quantity": quantity}]
    command = PlaceOrder("cust-1", str(uuid4()), lines, None, "tok_ok", ADDRESS, contact)
    order = ids.check_order_uuid(shop.bus.handle(command).stream_id.split("-", 1)[1])
    shop.settle()
    return order


def kinds(shop: FulfilmentShop, order: str) -> dict[str, str]:
    _, rows = records(shop).of_customer("cust-1")
    return {row["kind"]: row["status"] for row in rows if row["order_id"] == order}


def test_every_kind_arrives_once_with_its_content(shop, notifier, smtp) -> None:
    shop.stock("SKU-1", 10, price=1500)
    kept, cancelled = place(shop), place(shop, quantity=1)
    shop.deliver(kept)
    approved = shop.ask_return(kept, "refund", ("SKU-1", 1))
    shop.approve(approved)
    shop.receive(approved)
    shop.reject(shop.ask_return(kept, "refund", ("SKU-1", 1)))
    shop.cancel(cancelled)
    shop.settle()

    notifier.run_until_idle()

    assert set(smtp.handler.per_id.values()) == {1}
    subjects = sorted(str(m["Subject"]) for m in smtp.to(KIM))
    assert len(subjects) == 9  # 6 for the kept order, 3 for the cancelled one
    assert set(kinds(shop, kept)) == {
        "order_confirmed", "shipment_shipped", "shipment_delivered",
        "return_approved", "return_rejected", "refund_issued",
    }  # fmt: skip
    assert kinds(shop, cancelled) == dict.fromkeys(
        ("order_confirmed", "order_cancelled", "refund_issued"), SENT
    )
    texts = [m.get_body(("plain",)).get_content() for m in smtp.to(KIM)]
    bodies = {str(m["Subject"]): text for m, text in zip(smtp.to(KIM), texts, strict=True)}
    tracking = shop.shipment(kept).tracking_number
    assert tracking in bodies["[Acme Shop] Your order has shipped"]
    assert "customer request" in bodies["[Acme Shop] Your order was cancelled"]
    confirmation = next(b for b in texts if f"Order {kept}" in b and "Thank" in b)
    assert "2 x SKU-1  3,000 KRW" in confirmation


def test_a_replay_from_the_start_sends_nothing_again(shop, notifier, smtp) -> None:
    shop.stock("SKU-1", 10)
    place(shop)
    notifier.run_until_idle()
    notifier.close()
    records(shop).forget_position(NAME)

    again = build_notifier(shop.container)
    again.run_until_idle()
    again.close()

    assert list(smtp.handler.per_id.values()) == [1]


def test_a_refusing_server_is_retried_with_backoff_until_it_accepts(shop, notifier, smtp):
    shop.stock("SKU-1", 10)
    smtp.handler.refuse_next = 2
    order = place(shop)

    notifier.run_until_idle()
    assert kinds(shop, order) == {"order_confirmed": FAILED}
    shop.clock.advance(1)  # the first backoff
    notifier.run_until_idle()
    shop.clock.advance(2)  # the second, twice as long
    notifier.run_until_idle()

    assert kinds(shop, order) == {"order_confirmed": SENT}
    assert list(smtp.handler.per_id.values()) == [1]
    assert smtp.handler.refused == 2


def test_a_server_that_never_accepts_makes_it_dead_until_an_admin_retries(
    shop, notifier, smtp
) -> None:
    shop.stock("SKU-1", 10)
    smtp.handler.refuse_next, smtp.handler.refusal = -1, "550 5.1.1 mailbox unavailable"
    order = place(shop)
    for _ in range(5):
        notifier.run_until_idle()
        shop.clock.advance(60)
    assert kinds(shop, order) == {"order_confirmed": DEAD}
    assert smtp.handler.refused == 3

    smtp.handler.refuse_next = 0
    _, [row] = records(shop).of_customer("cust-1")
    assert records(shop).retry(row["notification_id"], shop.clock().timestamp()) == DEAD
    notifier.run_until_idle()

    assert kinds(shop, order) == {"order_confirmed": SENT}
    assert list(smtp.handler.per_id.values()) == [1]


def test_an_order_without_contact_is_skipped(shop, notifier, smtp) -> None:
    shop.stock("SKU-1", 10)
    order = place(shop, email=None)

    notifier.run_until_idle()

    assert kinds(shop, order) == {"order_confirmed": SKIPPED}
    assert smtp.handler.received == []


def test_a_refused_recipient_is_named_neither_in_the_record_nor_the_log(
    shop, notifier, smtp, caplog: pytest.LogCaptureFixture
) -> None:
    shop.stock("SKU-1", 10)
    smtp.handler.refuse_recipients = True
    place(shop)

    notifier.run_until_idle()

    assert smtp.handler.refused == 1
    with records(shop).engine.connect() as conn:
        [error] = conn.execute(select(NOTIFICATIONS.c.last_error)).scalars()
    assert "no such mailbox" in error
    assert "<recipient>" in error
    assert KIM not in error
    assert KIM not in caplog.text
