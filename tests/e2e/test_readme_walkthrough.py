"""The README's walkthrough, run literally against a fresh copy of this checkout.

The copy holds the files git would clone (tracked and not-ignored ones, as they are in the
working tree, so uncommitted work is what gets tested). Instead of `pip install -e .`,
which would take a minute and the network, the copy's `.venv/bin/shop` is a two-line
stand-in for the console script pip writes: this interpreter running the copy's `cli.main`.
Every command of every `<!-- walkthrough -->` block runs in one bash session, in order,
from the copy's directory; each must exit 0.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.server import free_port, terminate, wait_until_healthy

REPO = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"<!-- walkthrough -->\s*```bash\n(.*?)```", re.DOTALL)
DEFAULT_API = "http://127.0.0.1:8000"
MARK = "@@walkthrough-rc"


def walkthrough(readme: str) -> list[str]:
    """The commands of the walkthrough's bash blocks; a trailing `\\` continues a line."""
    commands: list[str] = []
    for block in BLOCK.findall(readme):
        pending = ""
        for line in block.splitlines():
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            pending += line + "\n"
            if not line.endswith("\\"):
                commands.append(pending.rstrip("\n"))
                pending = ""
        assert not pending, f"a command ends with a continuation: {pending!r}"
    return commands


def fresh_copy(destination: Path) -> Path:
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():  # a tracked file deleted in the working tree is not cloned
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)
    shop = destination / ".venv" / "bin" / "shop"
    shop.parent.mkdir(parents=True)
    shop.write_text(
        f'#!/bin/sh\nPYTHONPATH="{destination}" exec "{sys.executable}" -m cli.main "$@"\n'
    )
    shop.chmod(0o755)
    return destination


def clean_env() -> dict[str, str]:
    """A newcomer's shell: no SHOP_* settings, so the data dir is the copy's ./var."""
    return {name: value for name, value in os.environ.items() if not name.startswith("SHOP_")}


def run_in_one_session(commands: list[str], cwd: Path) -> tuple[list[tuple[int, str]], str]:
    """(exit status, stdout) per command, and the session's stderr."""
    script = "".join(f"{command}\nprintf '\\n{MARK} %s\\n' \"$?\"\n" for command in commands)
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=240,
    )
    pieces = re.split(rf"\n{MARK} (\d+)\n", done.stdout)
    results = [(int(status), out) for out, status in zip(pieces[0::2], pieces[1::2], strict=False)]
    return results, done.stderr


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    return fresh_copy(tmp_path / "shop")


def test_the_walkthrough_runs_as_written(clone: Path):
    readme = (clone / "README.md").read_text()
    commands = walkthrough(readme)
    port = free_port()
    assert any(DEFAULT_API in command for command in commands)
    commands = [command.replace(DEFAULT_API, f"http://127.0.0.1:{port}") for command in commands]

    serve = [str(clone / ".venv/bin/shop"), "serve", "--port", str(port)]
    with (clone / "serve.log").open("wb") as log:
        server = subprocess.Popen(serve, cwd=clone, env=clean_env(), stdout=log, stderr=log)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", server)
            results, stderr = run_in_one_session(commands, clone)
        finally:
            assert terminate(server) == 0, (clone / "serve.log").read_text()
    assert f"data dir {clone / 'var'}" in (clone / "serve.log").read_text()  # the copy's ./var

    assert len(results) == len(commands), stderr
    for command, (status, _) in zip(commands, results, strict=True):
        assert status == 0, f"{command}\nexited {status}\n{stderr}"
    answers = {command: out for command, (_, out) in zip(commands, results, strict=True)}
    assert_the_key_answers(answers)
    assert f"shop: data dir {clone / 'var'}" in stderr


def answer(answers: dict[str, str], start: str, *words: str) -> str:
    """The output of the one command that starts with `start` and contains `words`."""
    [found] = [
        out
        for command, out in answers.items()
        if command.startswith(start) and all(word in command for word in words)
    ]
    return found


def assert_the_key_answers(answers: dict[str, str]) -> None:
    assert '"position":' in answer(answers, "curl -sf -X POST", "/products")
    assert '"status":"PENDING"' in answer(answers, 'echo "$ORDER"')
    confirmed = answer(answers, "curl", "/orders/$ORDER_ID?min_position")
    assert '"status":"CONFIRMED"' in confirmed
    assert '"total":75600' in confirmed  # 2 x 42000, less 10 %
    assert '"sku":"LAMP-1"' in answer(answers, "curl", "/catalog/search?q=lamp")
    assert '"available":16' in answer(answers, "curl", '/inventory/LAMP-1"')
    assert "shop.order.confirmed" in answer(answers, "curl", "/timeline")
    assert '"status":"CANCELLED"' in answer(answers, "curl", "/customers/alice/orders")
    assert "catalog_search" in answer(answers, ".venv/bin/shop projections status")
    assert "rebuilt order_views" in answer(answers, ".venv/bin/shop projections rebuild")


def test_the_walkthrough_splits_continued_lines():
    readme = "<!-- walkthrough -->\n```bash\nA=1\n# a note\ncurl \\\n  -d '{}'\n```\n"

    assert walkthrough(readme) == ["A=1", "curl \\\n  -d '{}'"]
