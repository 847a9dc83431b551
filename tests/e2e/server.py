"""`shop serve` as a real subprocess on a free port, in its own data directory."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from api.auth import TokenCodec, resolve_secret
from bench.server import free_port, terminate, wait_until_healthy
from config.settings import Settings
from tests.support.postgres import fresh_schema
from tests.support.services import require_postgres

SHOP = str(Path(sys.executable).with_name("shop"))


class ShopServer:
    def __init__(self, data_dir: Path, part: str = "all", **env: str) -> None:
        self.data_dir, self.part = data_dir, part
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        inherited = {k: v for k, v in os.environ.items() if k != "SHOP_JWT_SECRET"}
        # The embedded default makes its own secret; a server store needs one given in `env`.
        self.env = {
            **inherited,
            "SHOP_DATA_DIR": str(data_dir),
            "SHOP_LOG_LEVEL": "WARNING",
            **env,
        }
        self.log_path = data_dir.parent / f"serve-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 60.0) -> ShopServer:
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [SHOP, "serve", self.part, "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_healthy(self.url, self.process, timeout_s)
        except RuntimeError as failure:
            self.stop()
            raise RuntimeError(f"{failure}:\n{self.output()}") from None
        return self

    def stop(self, timeout_s: float = 30.0) -> int:
        """SIGTERM, then the exit status (killed and -9 if it does not stop in time)."""
        assert self.process is not None
        return terminate(self.process, timeout_s)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def token(self, role: str, sub: str) -> str:
        """Signed with the secret the server generated in its data dir, as `shop token` does."""
        return TokenCodec(self.secret(), "HS256").mint(role, sub, 3600)

    def secret(self) -> str:
        given = self.env.get("SHOP_JWT_SECRET")
        return given or resolve_secret(Settings(data_dir=self.data_dir, jwt_secret=None))

    def headers(self, role: str, sub: str, **extra: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(role, sub)}", **extra}


def store_env(backend: str, stack: ExitStack) -> dict[str, str]:
    """What a `shop serve` needs in its environment to run on `backend`: nothing on the
    embedded default; on PostgreSQL a fresh schema (dropped when `stack` closes) and a JWT
    secret, which a server store does not generate."""
    if backend != "postgres":
        return {}
    schema = stack.enter_context(fresh_schema(require_postgres()))
    return {
        "SHOP_EVENT_STORE": "postgres",
        "SHOP_POSTGRES_DSN": require_postgres(),
        "SHOP_POSTGRES_SCHEMA": schema,
        "SHOP_JWT_SECRET": secrets.token_hex(32),
    }
