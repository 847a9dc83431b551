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
RUNNING_SERVICES = {
    "command-api",
    "query-api",
    "saga-worker",
    "projector-worker",
    "integration-worker",
}
PROJECT_SERVICES = RUNNING_SERVICES | {"migrate"}
SIMULATORS = {"psp", "carrier"}  # shop processes standing in for outside services
INFRA_SERVICES = {"kurrentdb", "postgres", "redis", "elasticsearch"}
BROKERS = {"rabbitmq"}  # only the integration worker needs it


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def documented_settings() -> set[str]:
    return {f"SHOP_{name.upper()}" for name in Settings.model_fields}


def test_the_stack_has_the_stores_the_broker_the_migration_and_the_shop_processes(compose):
    assert set(compose["services"]) == PROJECT_SERVICES | SIMULATORS | INFRA_SERVICES | BROKERS


def test_every_image_is_pinned_to_a_version(compose):
    for name, service in compose["services"].items():
        if name in PROJECT_SERVICES | SIMULATORS:
            assert service["build"] == "."
            continue
        image = service["image"]
        assert re.fullmatch(r"[\w./-]+:\d[\w.-]*", image), f"{name}: {image} is not pinned"


def test_every_shop_service_runs_a_real_shop_command(compose):
    runner = CliRunner()
    for name in PROJECT_SERVICES | SIMULATORS:
        command = compose["services"][name]["command"]
        assert command[0] == "shop"
        result = runner.invoke(app, [*command[1:], "--help"])
        assert result.exit_code == 0, f"{name}: `{' '.join(command)}` is not a shop command"


def test_every_env_var_given_to_the_shop_is_a_documented_setting(compose):
    readme = (ROOT / "README.md").read_text()
    for name in PROJECT_SERVICES | SIMULATORS:
        for variable in compose["services"][name]["environment"]:
            assert variable in documented_settings(), f"{name}: {variable} is not a setting"
            assert variable in readme, f"{variable} is not in the README"


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    assert sorted(v for v in documented_settings() if v not in readme) == []


def test_services_wait_for_healthy_stores(compose):
    for name in PROJECT_SERVICES:
        conditions = compose["services"][name]["depends_on"]
        assert set(conditions) >= INFRA_SERVICES
        for store in INFRA_SERVICES:
            assert conditions[store]["condition"] == "service_healthy"
            assert "healthcheck" in compose["services"][store]


def test_a_one_shot_migration_runs_first_and_nothing_else_creates_tables(compose):
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["shop", "migrate"]
    assert migrate.get("restart", "no") == "no"
    assert set(migrate["depends_on"]) == INFRA_SERVICES
    assert migrate["environment"].get("SHOP_CREATE_TABLES", "true") != "false"
    for name in RUNNING_SERVICES:
        service = compose["services"][name]
        assert set(service["depends_on"]) - SIMULATORS - BROKERS == INFRA_SERVICES | {"migrate"}
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["environment"]["SHOP_CREATE_TABLES"] == "false", name


def test_the_migration_and_the_shop_processes_share_the_data_volume(compose):
    """On EventStoreDB the saga's state and the migration marker are SQLite in /data."""
    data = compose["services"]["migrate"]["environment"]["SHOP_DATA_DIR"]
    for name in PROJECT_SERVICES:
        service = compose["services"][name]
        assert service["environment"]["SHOP_DATA_DIR"] == data
        assert f"shop-data:{data}" in service["volumes"], name
    assert "shop-data" in compose["volumes"]


def test_the_shop_processes_and_the_migration_see_the_same_stores(compose):
    stores = ("SHOP_EVENT_STORE", "SHOP_ESDB_URI", "SHOP_READ_DB_URL", "SHOP_REDIS_URL")
    migrate = compose["services"]["migrate"]["environment"]
    for name in RUNNING_SERVICES:
        environment = compose["services"][name]["environment"]
        assert [environment.get(v) for v in stores] == [migrate.get(v) for v in stores]


def test_every_service_but_the_migration_is_restarted_when_it_dies(compose):
    for name, service in compose["services"].items():
        expected = "no" if name == "migrate" else "unless-stopped"
        assert service.get("restart", "no") == expected, name


def test_the_saga_worker_captures_through_the_psp_service(compose):
    psp, saga = compose["services"]["psp"], compose["services"]["saga-worker"]
    port = psp["command"][psp["command"].index("--port") + 1]
    assert psp["command"][psp["command"].index("--host") + 1] == "0.0.0.0"
    assert saga["environment"]["SHOP_PSP_URL"] == f"http://psp:{port}"
    assert saga["depends_on"]["psp"] == {"condition": "service_healthy"}
    assert "healthcheck" in psp


def test_the_saga_worker_labels_through_the_carrier_service_which_calls_back_the_api(compose):
    carrier, saga = compose["services"]["carrier"], compose["services"]["saga-worker"]
    command = carrier["command"]
    port = command[command.index("--port") + 1]
    assert command[command.index("--host") + 1] == "0.0.0.0"
    assert saga["environment"]["SHOP_CARRIER_URL"] == f"http://carrier:{port}"
    assert saga["depends_on"]["carrier"] == {"condition": "service_healthy"}
    api = compose["services"]["command-api"]
    api_port = api["command"][api["command"].index("--port") + 1]
    webhook = f"http://command-api:{api_port}/carrier/events"
    assert command[command.index("--webhook-url") + 1] == webhook
    secret = "SHOP_CARRIER_WEBHOOK_SECRET"
    assert carrier["environment"][secret] == api["environment"][secret]


def test_every_shop_process_keeping_files_has_a_volume(compose):
    """The saga's checkpoints and deadlines (SQLite in the data dir on EventStoreDB) and the
    simulated provider's ledger (`<data dir>/psp`) outlive a container."""
    named = set(compose["volumes"])
    for name in ("saga-worker", *SIMULATORS):
        service = compose["services"][name]
        data = service["environment"]["SHOP_DATA_DIR"]
        mounts = dict(volume.split(":", 1)[::-1] for volume in service["volumes"])
        assert mounts.get(data) in named, f"{name}: no named volume at {data}"


def test_api_ports_match_what_the_commands_bind(compose):
    for name in ("command-api", "query-api", *SIMULATORS):
        service = compose["services"][name]
        port = service["command"][service["command"].index("--port") + 1]
        assert service["ports"] == [f"{port}:{port}"]


def test_the_dockerfile_copies_every_package_it_installs():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for source in re.findall(r"^COPY (\S+)", dockerfile, flags=re.M):
        assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    for package in ("domain", "commands", "eventstore", "projections", "queries", "api", "cli"):
        assert f"COPY {package} " in dockerfile


def test_the_integration_worker_publishes_to_the_rabbitmq_service(compose):
    worker, rabbitmq = compose["services"]["integration-worker"], compose["services"]["rabbitmq"]
    user = rabbitmq["environment"]["RABBITMQ_DEFAULT_USER"]
    password = rabbitmq["environment"]["RABBITMQ_DEFAULT_PASS"]
    url = worker["environment"]["SHOP_AMQP_URL"]
    assert url.startswith(f"amqp://{user}:{password}@rabbitmq:5672/")
    assert worker["depends_on"]["rabbitmq"] == {"condition": "service_healthy"}
    assert "healthcheck" in rabbitmq
