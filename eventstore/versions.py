"""`AggregateVersions`: aggregates as of a given version, moved forward event by event.

A consumer that describes each event by its aggregate as it was right after the event
(the relay's stock levels, the notifier's shipment at dispatch) asks for each stream's
versions in log order. The library's versioned load replays the stream from its last
snapshot every time: for a hot sku's inventory stream that was up to a hundred events
decoded for each stock event, the integration worker's largest cost. Here each stream's
last answer is kept (bounded, least recently used first out) and only the events since
are read and folded on it; a version older than the one held is loaded afresh.

What it returns is shared with the next call: read it, never change it.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from eventstore.application import ShopStore, project


class AggregateVersions:
    def __init__(self, store: ShopStore, size: int = 2_000) -> None:
        self.store, self.size = store, size
        self._held: OrderedDict[str, Any] = OrderedDict()
        store.keys.on_erasure.append(self.forget)

    def at(self, stream: str, version: int) -> Any:
        self.store.keys.refresh()  # an erasure elsewhere empties what is held (see forget)
        held = self._held.get(stream)
        if held is None or held.version > version:
            held = self.store.repository.get(stream, version=version, projector_func=project)
        elif held.version < version:
            newer = self.store.events.get(stream, gt=held.version, lte=version)
            held = project(held, newer)
        self._held[stream] = held
        self._held.move_to_end(stream)
        if len(self._held) > self.size:
            self._held.popitem(last=False)
        return held

    def forget(self) -> None:
        """Drop everything held (an erasure: what was held may hold personal data)."""
        self._held.clear()
