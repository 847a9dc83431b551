"""Reading one sample out of a Prometheus text exposition."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> list[Any]:
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def value(text: str, name: str, **labels: str) -> float | None:
    """The sample `name` whose labels include `labels` (None when absent)."""
    for sample in samples(text):
        if sample.name == name and labels.items() <= sample.labels.items():
            return float(sample.value)
    return None


def scrape(client: Any) -> str:
    answer = client.get("/metrics")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    return str(answer.text)
