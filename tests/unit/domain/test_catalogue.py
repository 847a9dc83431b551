"""Every event has an explicit, unique topic and is in the README's catalogue."""

from __future__ import annotations

from pathlib import Path

from eventsourcing.domain import CanMutateAggregate

from domain.catalogue import AGGREGATES

README = Path(__file__).resolve().parents[3] / "README.md"


def event_classes():
    for aggregate in AGGREGATES:
        for name, value in vars(aggregate).items():
            if (
                isinstance(value, type)
                and issubclass(value, CanMutateAggregate)
                and name != "Event"
            ):
                yield aggregate, value


def test_every_event_has_its_own_explicit_topic():
    topics = [getattr(event, "TOPIC", None) for _, event in event_classes()]

    assert all(topics)
    assert len(topics) == len(set(topics))
    assert all(topic.startswith("shop.") for topic in topics)


def test_every_event_is_in_the_readme_catalogue():
    readme = README.read_text()

    missing = [event.TOPIC for _, event in event_classes() if f"`{event.TOPIC}`" not in readme]

    assert missing == []
