"""The fulfilment manager's group commit: a batch's steps take about one transaction per
order (the one that makes a label request durable before it leaves), and a batch made
stale by another writer is handled again step by step, with no label asked twice."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from domain.shipment import RecordLabel
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop, opened

pytestmark = pytest.mark.scenario


@pytest.fixture
def shop(backend: str, settings_for) -> Iterator[FulfilmentShop]:
    yield from opened(settings_for(backend, payment_timeout_s=30))


def confirmed(shop: FulfilmentShop, count: int) -> list[str]:
    shop.stock("SKU-1", count)
    orders = [shop.place_to(ADDRESS, ("SKU-1", 1)) for _ in range(count)]
    shop.saga.run_until_idle()
    return orders


def test_a_batch_of_orders_takes_a_few_transactions_in_all(shop: FulfilmentShop) -> None:
    orders = confirmed(shop, 12)
    transactions: list[int] = []
    shop.store.save_listeners.append(transactions.append)

    shop.fulfilment.run_until_idle()

    assert [shop.shipment(order).status for order in orders] == ["LABELLED"] * 12
    assert [shop.carrier.requests(order) for order in orders] == [1] * 12
    # The batch's asks in one transaction before the labels are requested, their answers
    # in one more; written through, each order took about seven, and with a commit
    # before each label request, one each.
    assert len(transactions) <= 3, transactions
    assert sum(transactions) >= 12 * 6  # the same events as ever: started, opened, asked...


def test_a_batch_made_stale_is_handled_again_with_each_label_asked_once(
    shop: FulfilmentShop, caplog: pytest.LogCaptureFixture
) -> None:
    orders = confirmed(shop, 3)
    target = orders[1]
    create_label = shop.carrier.create_label

    def answer_and_record_elsewhere(reference: str, *args: Any) -> Any:
        """While the carrier answers, another writer (a second copy of the manager)
        records the target's label: the batch's own record of it is now stale."""
        label = create_label(reference, *args)
        if reference == target and shop.shipment(target).status == "READY":
            shop.bus.handle(RecordLabel(target, shop.carrier.name, label.tracking_number))
        return label

    shop.carrier.create_label = answer_and_record_elsewhere  # type: ignore[method-assign]
    with caplog.at_level(logging.INFO, logger="commands.fulfilment.manager"):
        shop.fulfilment.run_until_idle()

    assert "redoing it step by step" in caplog.text
    assert [shop.shipment(order).status for order in orders] == ["LABELLED"] * 3
    assert [shop.carrier.requests(order) for order in orders] == [1, 1, 1]
    assert (
        shop.shipment(target).tracking_number == shop.carrier.lookup_label(target).tracking_number
    )
