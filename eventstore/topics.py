"""The topics the shop writes: the only event types its followers decode.

A KurrentDB database is shared: other applications' events, the server's own
`$`-prefixed ones and test events all come back from a read of `$all`. Decoding one the
shop does not know raises `TopicError` on every retry, stopping its follower for good;
resolving a foreign topic would even import whatever module it names. So followers ask
for, and decode, only the topics declared on the shop's aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.utils import get_topic

from domain.shared.base import ShopEvent


def topics_of(aggregates: Iterable[type]) -> frozenset[str]:
    """The explicit topics (`shop.order.placed`) of the events declared on `aggregates`.

    Classes without one (`module:Class.Event` bases, snapshots) are never stored as
    events of the log, so they are left out.
    """
    found = set()
    for aggregate in aggregates:
        for member in vars(aggregate).values():
            if isinstance(member, type) and issubclass(member, ShopEvent):
                topic = get_topic(member)
                if ":" not in topic:
                    found.add(topic)
    return frozenset(found)


def shop_topics() -> frozenset[str]:
    """Every topic of the shop's domain (`domain.catalogue.AGGREGATES`)."""
    from domain.catalogue import AGGREGATES

    return topics_of(AGGREGATES)
