"""Nothing the API answers is built from the client's Host header."""

from __future__ import annotations

from fastapi.testclient import TestClient

LONGEST = "c" * 200


def test_a_trailing_slash_is_a_404_not_a_redirect_to_the_callers_host(
    commands: TestClient, admin: dict[str, str]
) -> None:
    response = commands.post(
        "/orders/", json={}, headers={"Host": "evil.example", **admin}, follow_redirects=False
    )

    assert response.status_code in (401, 404)
    assert "location" not in response.headers
