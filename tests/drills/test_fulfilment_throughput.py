"""The fulfilment throughput drill runs and labels every confirmed order (not how fast)."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from tests.drills.fulfilment_throughput import carrier_for, measure
from tests.drills.throughput import drill_settings


@pytest.mark.parametrize("carrier", ["inproc", "http"])
def test_the_drill_labels_every_confirmed_order(backend: str, carrier: str) -> None:
    with ExitStack() as stack:
        settings = drill_settings(stack, backend)
        chosen = stack.enter_context(carrier_for(carrier, settings.data_dir))

        result = measure(settings, 5, chosen)

    assert result["confirmed"] == result["labelled"] == 5
    assert result["orders/s"] > 0
