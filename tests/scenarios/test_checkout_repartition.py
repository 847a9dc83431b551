"""Changing SHOP_SAGA_PARTITIONS across a deploy: no replay, and no deadline forgotten."""

from __future__ import annotations

from tests.scenarios.shop import Shop


def test_new_partitions_go_on_where_the_old_ones_got_to(backend, settings_for):
    settings = settings_for(backend, payment_timeout_s=30)
    before = Shop(settings)  # one partition
    before.stock("SKU-1", 10)
    confirmed = before.place(("SKU-1", 1))
    waiting = before.place(("SKU-1", 1), token="tok_timeout")  # its deadline is set
    before.settle()
    position = before.saga.managers[0].position
    assert before.order(confirmed).status == "CONFIRMED"
    assert before.order(waiting).status == "PENDING"
    before.close()

    after = Shop(settings, partitions=4)
    starts = [manager.progress.start() for manager in after.saga.managers]
    after.clock.advance(31)  # past the deadline set under the old partitioning
    after.settle()

    assert position is not None
    assert position > 0
    assert starts == [position] * 4  # not 0: the log is not replayed
    assert after.order(waiting).status == "CANCELLED"
    assert after.order(waiting).cancel_reason == "PAYMENT_TIMEOUT"
    assert after.captures(waiting).get("capture", 0) <= 1
    after.close()
