"""What `shop serve` prints on start: where it listens, where its data is, how to call it.

Every command in it works when pasted into another terminal, in any directory: `shop` is
named by the path of the executable that is running (a fresh virtualenv is not on PATH)
and the token commands carry the absolute SHOP_DATA_DIR, since a relative `./var` read
from elsewhere is another, empty shop with another JWT secret.
"""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path

from config.settings import Settings

WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}


def shop_executable() -> str:
    """The command that runs this `shop`, as a user would type it."""
    script = Path(sys.argv[0])
    if script.name == "shop" and script.exists():
        on_path = shutil.which("shop")
        if on_path and Path(on_path).resolve() == script.resolve():
            return "shop"
        return shlex.quote(str(script.absolute()))
    sibling = Path(sys.executable).with_name("shop")  # run as `python -m cli.main`
    if sibling.exists():
        return shlex.quote(str(sibling))
    return f"{shlex.quote(sys.executable)} -m cli.main"


def base_url(host: str, port: int) -> str:
    host = WILDCARDS.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def banner(part: str, host: str, port: int, settings: Settings, psp_url: str | None = None) -> str:
    base, data_dir = base_url(host, port), settings.data_dir.resolve()
    shop = f"SHOP_DATA_DIR={shlex.quote(str(data_dir))} {shop_executable()}"
    if settings.jwt_secret:  # the secret is not printed: the caller's environment has it
        shop = f"{shop_executable()}"
    lines = [
        f"shop serve {part}: {base}  ({settings.event_store} store, data dir {data_dir})",
        f"  API docs:  {base}/docs   (OpenAPI: {base}/openapi.json)",
        f"  tokens:    {shop} token --role admin",
        f"             {shop} token --role customer --sub alice",
    ]
    if settings.jwt_secret:
        lines.append("             (signed with SHOP_JWT_SECRET: set it where you run these)")
    if psp_url is not None:
        about = "(SHOP_PSP_URL)" if settings.psp_url else f"(simulated; ledger: {psp_url}/ledger)"
        lines.append(f"  payments:  {psp_url}  {about}")
    if part != "command":
        token = f"$({shop} token --role customer --sub alice)"
        lines.append(
            f'  try:       curl -sf -H "Authorization: Bearer {token}" '
            f"'{base}/catalog/search?q=mug'"
        )
    return "\n".join(lines)
