"""Email retries over HTTP: a live `shop serve` (on the embedded default and on
PostgreSQL) sends customer email to a real SMTP server (aiosmtpd) that answers each
recipient as the test says, with SHOP_NOTIFICATION_MAX_ATTEMPTS=3 and the backoff of
1 s, 2 s, ... What must hold, as `GET /customers/{id}/notifications` and the SMTP server
see it: refused twice (451) then accepted, the message is SENT after three attempts and
arrives once; refused every time (550), it is DEAD after three, and an admin's
`POST /notifications/{id}/retry` once the server accepts again sends it, once.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.e2e.fulfilment_client import FulfilmentClient
from tests.e2e.server import ShopServer, store_env
from tests.e2e.world import wait_for
from tests.notifications.smtp_server import free_port

RUN = secrets.token_hex(3)  # this run's sku, customers and addresses
SKU = f"BELL-{RUN}"
ADA, BO = f"ada-{RUN}", f"bo-{RUN}"
MAIL = {ADA: f"{ADA}@example.com", BO: f"{BO}@example.com"}
DOMAIN = "retries.test"
DEADLINE_S = 15.0


@dataclass
class Refusal:
    reply: str
    times: int | None  # attempts to refuse; None: every one


class PerRecipient:
    """An aiosmtpd handler that refuses a recipient's messages as `refusals` says (the
    test changes it while the server runs) and keeps the rest per recipient."""

    def __init__(self) -> None:
        self.refusals: dict[str, Refusal] = {}
        self.tries: Counter[str] = Counter()
        self.accepted: dict[str, list[EmailMessage]] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        [recipient] = envelope.rcpt_tos
        self.tries[recipient] += 1
        refusal = self.refusals.get(recipient)
        if refusal and (refusal.times is None or self.tries[recipient] <= refusal.times):
            return refusal.reply
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.accepted.setdefault(recipient, []).append(message)
        return "250 OK"

    def message_ids(self, recipient: str) -> list[str]:
        return [str(message["Message-ID"]) for message in self.accepted.get(recipient, [])]


@dataclass
class Shop:
    client: FulfilmentClient
    smtp: PerRecipient

    def confirmation(self, customer: str, status: str) -> dict[str, Any] | None:
        """The customer's order_confirmed message once it has `status`."""
        http = self.client.http
        answer = http.get(f"/customers/{customer}/notifications", headers=self.client.admin)
        assert answer.status_code == 200, answer.text
        items = [item for item in answer.json()["items"] if item["kind"] == "order_confirmed"]
        return items[0] if items and items[0]["status"] == status else None


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def shop(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Shop]:
    data_dir = tmp_path_factory.mktemp("retries") / "var"
    with ExitStack() as stack:
        env = store_env(request.param, stack)
        handler, port = PerRecipient(), free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        stack.callback(controller.stop)
        server = ShopServer(
            data_dir,
            SHOP_LEASE_TTL_S="3",
            SHOP_SMTP_URL=f"smtp://127.0.0.1:{port}",
            SHOP_MAIL_FROM=f"Bell Shop <shop@{DOMAIN}>",
            SHOP_NOTIFICATION_MAX_ATTEMPTS="3",
            **env,
        ).start()
        stack.callback(server.stop)
        client = FulfilmentClient(server, "unused: no carrier reports here")
        stack.callback(client.close)
        client.product(SKU, 1200, 10)
        yield Shop(client, handler)


def place_order(shop: Shop, customer: str) -> str:
    return shop.client.order(customer, {SKU: 1}, contact={"email": MAIL[customer]})


def test_refused_twice_then_accepted_is_sent_on_the_third_attempt_once(shop: Shop) -> None:
    shop.smtp.refusals[MAIL[ADA]] = Refusal("451 4.3.0 try again later", times=2)
    order_id = place_order(shop, ADA)

    sent = wait_for(lambda: shop.confirmation(ADA, "SENT"), "ada's email SENT", DEADLINE_S)

    assert (sent["order_id"], sent["attempts"]) == (order_id, 3)
    assert shop.smtp.tries[MAIL[ADA]] == 3
    assert shop.smtp.message_ids(MAIL[ADA]) == [f"<{sent['notification_id']}@{DOMAIN}>"]


def test_never_accepted_goes_dead_and_an_admin_retry_sends_it_once(shop: Shop) -> None:
    shop.smtp.refusals[MAIL[BO]] = Refusal("550 5.1.1 mailbox unavailable", times=None)
    place_order(shop, BO)

    dead = wait_for(lambda: shop.confirmation(BO, "DEAD"), "bo's email DEAD", DEADLINE_S)

    assert dead["attempts"] == 3
    assert (shop.smtp.tries[MAIL[BO]], shop.smtp.message_ids(MAIL[BO])) == (3, [])

    del shop.smtp.refusals[MAIL[BO]]  # the mailbox is back
    notification_id = dead["notification_id"]
    retry = shop.client.http.post(
        f"/notifications/{notification_id}/retry", headers=shop.client.admin
    )
    assert retry.status_code == 202, retry.text

    sent = wait_for(lambda: shop.confirmation(BO, "SENT"), "bo's email SENT", DEADLINE_S)
    assert (sent["notification_id"], sent["attempts"]) == (notification_id, 1)
    assert shop.smtp.message_ids(MAIL[BO]) == [f"<{notification_id}@{DOMAIN}>"]
