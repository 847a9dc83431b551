"""A bad event parks its message as a `notifier` dead letter; an operator's retry records
it (once) and it goes out."""

from __future__ import annotations

from uuid import uuid4

import pytest

import notifications.consumer as consumer
from app.dead_letters import DeadLetterDesk
from domain.order import PlaceOrder
from domain.shared import ids
from eventstore.dead_letters import PARKED
from notifications import NAME, build_notifier
from notifications.records import SENT, NotificationRecords
from tests.notifications.smtp_server import SmtpServer
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop

pytestmark = pytest.mark.scenario


def test_a_parked_message_is_recorded_and_sent_once_after_a_retry(
    backend: str, settings_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    smtp = SmtpServer().start()
    settings = settings_for(backend, smtp_url=smtp.url, max_attempts=2)
    shop = FulfilmentShop(settings)
    runner = build_notifier(shop.container)
    notifier, letters = runner.notifier, shop.container.read_models.dead_letters
    try:
        lines = [{"sku": "SKU-1", "quantity": 1}]
        shop.stock("SKU-1", 3)
        contact = {"email": "kim@example.com"}
        order = PlaceOrder("kim", str(uuid4()), lines, None, "tok_ok", ADDRESS, contact)
        order_id = ids.check_order_uuid(shop.bus.handle(order).stream_id.split("-", 1)[1])
        shop.settle()

        def broken(*_: object) -> None:
            raise RuntimeError("a template that cannot render")

        monkeypatch.setattr(consumer, "render", broken)
        with pytest.raises(RuntimeError):
            notifier.run_batch()  # the first failure: raised, the batch is retried
        notifier.run_batch()  # the second: parked, and the notifier goes on
        parked = [letter for letter in letters.of_consumer(NAME) if letter.status == PARKED]
        assert [letter.topic for letter in parked] == ["shop.order.confirmed"]
        assert NotificationRecords(letters.engine).of_customer("kim")[0] == 0

        monkeypatch.undo()  # the fix is deployed
        desk = DeadLetterDesk(shop.container.read_models, shop.container.log, shop.clock)
        assert desk.retry(parked[0].id).ok
        notifier.handed_back._looked_at = None  # take it up now, not within a second
        runner.run_until_idle()
        runner.run_until_idle()  # a second look changes nothing

        total, items = NotificationRecords(letters.engine).of_customer("kim")
        assert total == 1
        assert (items[0]["order_id"], items[0]["status"]) == (order_id, SENT)
        assert letters.of_consumer(NAME) == []
        assert list(smtp.handler.per_id.values()) == [1]
    finally:
        runner.close()
        shop.close()
        smtp.stop()
