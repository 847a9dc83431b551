"""The children `shop serve` supervises: the payment provider, the carrier, the projectors,
the saga, the integration relay.

With `SHOP_PSP_URL` unset, the server starts the simulated provider
(`shop simulate psp --port <free port>`, its files under `<data dir>/psp`) before the
saga, waits for its `/health`, and hands its URL to the saga child as `SHOP_PSP_URL`:
every capture goes over HTTP and is counted at `GET <url>/ledger`. With `SHOP_CARRIER_URL`
unset it does the same with `shop simulate carrier` (files under `<data dir>/carrier`),
which posts its signed parcel events to the server's own `/carrier/events`.
"""

from __future__ import annotations

import socket
import urllib.request
from functools import partial
from typing import Any

from app.carriers import webhook_secret
from app.supervision import ChildProcess, WorkerProcess
from app.supervisor import Supervisor
from config.settings import Settings
from eventstore.lease_keeper import worker_id


def supervised_workers(container: Any, server_url: str | None = None) -> Supervisor:
    """The supervisor of the children, not started; `server_url` is where the server
    listens, for the simulated carrier's webhook."""
    settings = container.settings
    children, outside = outside_services(settings, server_url)
    # One worker id per child for the server's life: a restarted child takes its dead
    # predecessor's leases at once instead of waiting for them to expire.
    tag = worker_id()
    children += [
        WorkerProcess(
            ["projections"],
            prepare=lambda: container.read_models.views,
            caught_up=partial(views_caught_up, container),
            env={"SHOP_WORKER_ID": f"{tag}/projections"},
        ),
        WorkerProcess(["saga"], env={**outside, "SHOP_WORKER_ID": f"{tag}/saga"}),
        WorkerProcess(["integration"], env={"SHOP_WORKER_ID": f"{tag}/integration"}),
    ]
    return Supervisor(children, backoff_s=settings.restart_backoff_s)


def outside_services(
    settings: Settings, server_url: str | None
) -> tuple[list[ChildProcess], dict[str, str]]:
    """A simulator for each outside service whose URL is unset, and the saga's env naming
    where each service is."""
    children: list[ChildProcess] = []
    psp_url, carrier_url = settings.psp_url, settings.carrier_url
    secret = webhook_secret(settings)
    if psp_url is None:
        psp = psp_child()
        children.append(psp)
        psp_url = psp.url
    if carrier_url is None:
        webhook_url = None if server_url is None else f"{server_url}/carrier/events"
        carrier = carrier_child(webhook_url, secret)
        children.append(carrier)
        carrier_url = carrier.url
    assert psp_url is not None
    assert carrier_url is not None
    env = {"SHOP_PSP_URL": psp_url, "SHOP_CARRIER_URL": carrier_url}
    return children, env | {"SHOP_CARRIER_WEBHOOK_SECRET": secret}


def psp_child(host: str = "127.0.0.1") -> ChildProcess:
    """`shop simulate psp` on a port free now; a restart binds the same port again."""
    port = free_port(host)
    url = f"http://{host}:{port}"
    argv = ["simulate", "psp", "--host", host, "--port", str(port)]
    return ChildProcess("psp", argv, ready=partial(answers, f"{url}/health"), url=url)


def carrier_child(webhook_url: str | None, secret: str, host: str = "127.0.0.1") -> ChildProcess:
    """`shop simulate carrier` on a port free now, signing its webhooks with our secret."""
    port = free_port(host)
    url = f"http://{host}:{port}"
    argv = ["simulate", "carrier", "--host", host, "--port", str(port)]
    if webhook_url is not None:
        argv += ["--webhook-url", webhook_url]
    ready = partial(answers, f"{url}/health")
    env = {"SHOP_CARRIER_WEBHOOK_SECRET": secret}
    return ChildProcess("carrier", argv, ready=ready, env=env, url=url)


def views_caught_up(container: Any) -> bool:
    read_models, head = container.read_models, container.log.head()
    return all(read_models.position(name) >= head for name in read_models.names)


def answers(url: str) -> bool:
    with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - our own child
        return bool(response.status == 200)


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])
