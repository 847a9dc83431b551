"""What `shop serve` must have to itself before it starts anything: its port and its data dir.

Both are claimed before the app is built, so a busy port or a second server on the same
files fails at once with a message naming them, instead of after a banner, a demo
catalog and two worker children that then have to be torn down. The listening socket is
handed to uvicorn as is: checking the port and binding it later would race.
"""

from __future__ import annotations

import fcntl
import os
import socket
from pathlib import Path
from typing import IO

LOCK_FILE = "serve.lock"


def listen(host: str, port: int) -> socket.socket:
    """A socket bound and listening on host:port, or SystemExit naming the port.

    `listen()` right away, not just `bind()`: Linux lets two SO_REUSEADDR sockets bind one
    address as long as neither listens, so a bare bind would not prove the port is ours.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # restart over TIME_WAIT
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise SystemExit(
            f"shop serve: cannot listen on {host}:{port}: {error.strerror or error}. "
            f"Another process holds port {port}; stop it or pass --port."
        ) from None
    return sock


def lock_data_dir(data_dir: Path) -> IO[str]:
    """An exclusive lock on `data_dir` for as long as the returned file stays open.

    Two embedded servers on one set of SQLite files would each run a saga and the
    projectors over the same log. The kernel drops a flock when its holder dies, so a
    crashed server leaves no stale lock. The worker children do not inherit it
    (Python's descriptors are not inheritable), nor do they take it.
    """
    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the process lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise SystemExit(
            f"shop serve: the data dir {data_dir} is in use by {holder}. "
            "Stop that server, or give this one its own SHOP_DATA_DIR."
        ) from None
    handle.truncate(0)
    handle.write(f"shop serve (pid {os.getpid()})\n")
    handle.flush()
    return handle
