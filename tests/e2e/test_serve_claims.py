"""`shop serve` claims its port and its data dir before it starts anything; its banner's
commands work when pasted elsewhere; `shop token` refuses a data dir no server used."""

from __future__ import annotations

import os
import socket
import subprocess

import httpx

from tests.e2e.server import SHOP, ShopServer


def shop(*args: str, data_dir, cwd, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHOP_DATA_DIR": str(data_dir), "SHOP_LOG_LEVEL": "WARNING"}
    env.pop("SHOP_JWT_SECRET", None)
    return subprocess.run(
        [SHOP, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def test_shop_token_refuses_a_data_dir_no_server_has_used(tmp_path):
    refused = shop("token", "--role", "admin", data_dir="var", cwd=tmp_path)

    assert refused.returncode != 0
    assert refused.stdout == ""
    assert "SHOP_DATA_DIR" in refused.stderr
    assert str(tmp_path / "var") in refused.stderr
    assert not (tmp_path / "var").exists()  # no secret generated on the spot


def test_shop_token_prints_only_the_token_on_stdout_and_the_data_dir_on_stderr(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "jwt_secret").write_text("s" * 64)

    minted = shop("token", "--role", "admin", data_dir="var", cwd=tmp_path)

    assert minted.returncode == 0, minted.stderr
    assert minted.stdout.count(".") == 2
    assert len(minted.stdout.split()) == 1
    assert str(tmp_path / "var") in minted.stderr


def test_a_busy_port_fails_before_anything_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        failed = shop("serve", "--port", str(port), data_dir=tmp_path / "var", cwd=tmp_path)

    assert failed.returncode != 0
    assert f"127.0.0.1:{port}" in failed.stderr
    assert "in use" in failed.stderr
    assert "shop serve all:" not in failed.stdout  # no banner
    assert not (tmp_path / "var").exists()  # no store opened, no demo catalog, no workers


def test_a_second_server_on_the_same_data_dir_is_refused(tmp_path):
    data_dir = tmp_path / "var"
    first = ShopServer(data_dir).start()
    try:
        second = shop("serve", "--port", str(first.port + 1), data_dir=data_dir, cwd=tmp_path)
        still_up = httpx.get(f"{first.url}/health").status_code
    finally:
        assert first.stop() == 0, first.output()

    assert second.returncode != 0
    assert str(data_dir) in second.stderr
    assert "in use" in second.stderr
    assert "shop serve all:" not in second.stdout
    assert still_up == 200


def test_the_banners_example_works_pasted_in_another_directory(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    server = ShopServer(tmp_path / "var").start()
    try:
        [example] = [
            line.split("try:", 1)[1]
            for line in server.output().splitlines()
            if line.strip().startswith("try:")
        ]
        pasted = subprocess.run(
            ["bash", "-c", example], cwd=elsewhere, capture_output=True, text=True, timeout=60
        )
    finally:
        assert server.stop() == 0, server.output()

    assert pasted.returncode == 0, pasted.stderr
    assert '"sku":"MUG-1"' in pasted.stdout
    assert not (elsewhere / "var").exists()
