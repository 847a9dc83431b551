"""Static checks of docker-compose.yml and the Dockerfile (no Docker engine runs here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli.main import app
from config.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PROJECT_SERVICES = {"command-api", "query-api", "saga-worker", "projector-worker"}
INFRA_SERVICES = {"kurrentdb", "postgres", "redis", "elasticsearch"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def documented_settings() -> set[str]:
    return {f"SHOP_{name.upper()}" for name in Settings.model_fields}


def test_the_stack_has_the_stores_and_the_four_shop_processes(compose):
    assert set(compose["services"]) == PROJECT_SERVICES | INFRA_SERVICES


def test_every_image_is_pinned_to_a_version(compose):
    for name, service in compose["services"].items():
        if name in PROJECT_SERVICES:
            assert service["build"] == "."
            continue
        image = service["image"]
        assert re.fullmatch(r"[\w./-]+:\d[\w.-]*", image), f"{name}: {image} is not pinned"


def test_every_shop_service_runs_a_real_shop_command(compose):
    runner = CliRunner()
    for name in PROJECT_SERVICES:
        command = compose["services"][name]["command"]
        assert command[0] == "shop"
        result = runner.invoke(app, [*command[1:], "--help"])
        assert result.exit_code == 0, f"{name}: `{' '.join(command)}` is not a shop command"


def test_every_env_var_given_to_the_shop_is_a_documented_setting(compose):
    readme = (ROOT / "README.md").read_text()
    for name in PROJECT_SERVICES:
        for variable in compose["services"][name]["environment"]:
            assert variable in documented_settings(), f"{name}: {variable} is not a setting"
            assert variable in readme, f"{variable} is not in the README"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert sorted(v for v in documented_settings() if v not in readme) == []


def test_services_wait_for_healthy_stores(compose):
    for name in PROJECT_SERVICES:
        conditions = compose["services"][name]["depends_on"]
        assert set(conditions) == INFRA_SERVICES
        for store in conditions:
            assert conditions[store]["condition"] == "service_healthy"
            assert "healthcheck" in compose["services"][store]


def test_api_ports_match_what_the_commands_bind(compose):
    for name in ("command-api", "query-api"):
        service = compose["services"][name]
        port = service["command"][service["command"].index("--port") + 1]
        assert service["ports"] == [f"{port}:{port}"]


def test_the_dockerfile_copies_every_package_it_installs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (\S+)", dockerfile, flags=re.M):
        assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    for package in ("domain", "commands", "eventstore", "projections", "queries", "api", "cli"):
        assert f"COPY {package} " in dockerfile
