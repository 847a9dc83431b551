"""The elasticsearch client and the server image ship together: same major (the client
sends compatible-with=<major>) and a client minor no newer than the server's."""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import yaml

COMPOSE = Path(__file__).parents[2] / "docker-compose.yml"


def _major_minor(text: str) -> tuple[int, int]:
    found = re.match(r"(\d+)\.(\d+)", text)
    assert found, text
    return int(found[1]), int(found[2])


def test_the_client_matches_the_compose_server() -> None:
    image = yaml.safe_load(COMPOSE.read_text())["services"]["elasticsearch"]["image"]
    server = _major_minor(image.rsplit(":", 1)[1])
    client = _major_minor(version("elasticsearch"))

    assert client[0] == server[0]
    assert client[1] <= server[1]
