"""The embedded default (.eml files in the data dir), the Korean templates, and the HTTP
routes over the delivery records."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.auth import TokenCodec
from api.command_app import create_command_app
from api.query_app import create_query_app
from notifications import build_notifier
from notifications.records import NOTIFICATIONS
from tests.api.conftest import SECRET
from tests.notifications.test_notifier import place, records
from tests.scenarios.fulfilment_shop import FulfilmentShop


@pytest.fixture
def shop(settings_for) -> Iterator[FulfilmentShop]:
    settings = settings_for("sqlite", mail_locale="ko", notification_max_attempts=2)
    settings = settings.model_copy(update={"jwt_secret": SECRET})
    the_shop = FulfilmentShop(settings)
    yield the_shop
    the_shop.close()


def test_without_smtp_each_message_is_an_eml_file_in_korean(shop: FulfilmentShop) -> None:
    shop.stock("SKU-1", 5, price=12000)
    order = place(shop)
    notifier = build_notifier(shop.container)
    notifier.run_until_idle()
    notifier.run_until_idle()  # a second run writes nothing new
    notifier.close()

    [eml] = (shop.container.settings.data_dir / "outbox").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert str(message["Subject"]) == "[Shop] 주문이 확정되었습니다"
    assert message["To"] == "kim@example.com"
    text = message.get_body(("plain",)).get_content()
    assert f"주문 {order}" in text
    assert "24,000 KRW" in text
    assert "합계" in text
    assert "<table>" in message.get_body(("html",)).get_content()


def test_the_routes_list_a_customers_messages_and_let_an_admin_retry(shop) -> None:
    shop.stock("SKU-1", 5)
    order = place(shop)
    build_notifier(shop.container).run_until_idle()
    _, [row] = records(shop).of_customer("cust-1")
    with records(shop).engine.begin() as conn:  # as if every attempt had failed
        conn.execute(update(NOTIFICATIONS).values(status="DEAD"))
    codec = TokenCodec(SECRET, "HS256")
    owner = {"Authorization": f"Bearer {codec.mint('customer', 'cust-1', 600)}"}
    other = {"Authorization": f"Bearer {codec.mint('customer', 'cust-2', 600)}"}
    admin = {"Authorization": f"Bearer {codec.mint('admin', 'ops', 600)}"}

    with TestClient(create_query_app(shop.container)) as queries:
        page = queries.get("/customers/cust-1/notifications", headers=owner).json()
        hidden = queries.get("/customers/cust-1/notifications", headers=other)
    with TestClient(create_command_app(shop.container)) as commands:
        path = f"/notifications/{row['notification_id']}/retry"
        refused = commands.post(path, headers=owner)
        retried = commands.post(path, headers=admin)

    assert page["total"] == 1
    assert page["items"][0]["kind"] == "order_confirmed"
    assert page["items"][0]["order_id"] == order
    assert hidden.status_code == 404
    assert (refused.status_code, retried.status_code) == (403, 202)
    assert records(shop).of_customer("cust-1")[1][0]["status"] == "PENDING"
