"""Headless Debian Chromium for the /ops page test: the DOM after its script ran, a screenshot."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.services import services_required

ROOT = Path(__file__).resolve().parents[2]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,900",
    "--virtual-time-budget=5000",
]


def require_chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        reason = "chromium is not installed (apt-get install chromium)"
        if services_required():
            pytest.fail(f"{reason}; SHOP_REQUIRE_SERVICES=1 makes this a failure")
        pytest.skip(reason)
    return found


def output_dir() -> Path:
    """Where test artefacts go: SHOP_TEST_OUTPUT_DIR, else var/test-output (git-ignored)."""
    path = Path(os.environ.get("SHOP_TEST_OUTPUT_DIR", ROOT / "var" / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def run(binary: str, profile: Path, *args: str) -> str:
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *args]
    done = subprocess.run(command, capture_output=True, text=True, timeout=90, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def dump_dom(binary: str, profile: Path, url: str) -> str:
    return run(binary, profile, "--dump-dom", url)


def screenshot(binary: str, profile: Path, url: str, target: Path) -> Path:
    target.unlink(missing_ok=True)
    run(binary, profile, f"--screenshot={target}", url)
    assert target.exists(), "chromium wrote no screenshot"
    assert target.stat().st_size > 0
    return target
