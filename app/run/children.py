"""The children `shop serve` supervises: the payment provider, the projectors, the saga.

With `SHOP_PSP_URL` unset, the server starts the simulated provider
(`shop simulate psp --port <free port>`, its files under `<data dir>/psp`) before the
saga, waits for its `/health`, and hands its URL to the saga child as `SHOP_PSP_URL`:
every capture goes over HTTP and is counted at `GET <url>/ledger`.
"""

from __future__ import annotations

import socket
import urllib.request
from functools import partial
from typing import Any

from app.supervision import ChildProcess, WorkerProcess
from app.supervisor import Supervisor
from eventstore.lease_keeper import worker_id


def supervised_workers(container: Any) -> Supervisor:
    """The supervisor of the children, not started."""
    settings = container.settings
    children: list[ChildProcess] = []
    psp_url = settings.psp_url
    if psp_url is None:
        psp = psp_child()
        children.append(psp)
        psp_url = psp.url
    assert psp_url is not None
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
        WorkerProcess(["saga"], env={"SHOP_PSP_URL": psp_url, "SHOP_WORKER_ID": f"{tag}/saga"}),
    ]
    return Supervisor(children, backoff_s=settings.restart_backoff_s)


def psp_child(host: str = "127.0.0.1") -> ChildProcess:
    """`shop simulate psp` on a port free now; a restart binds the same port again."""
    port = free_port(host)
    url = f"http://{host}:{port}"
    argv = ["simulate", "psp", "--host", host, "--port", str(port)]
    return ChildProcess("psp", argv, ready=partial(answers, f"{url}/health"), url=url)


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
