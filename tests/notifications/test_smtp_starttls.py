"""The SMTP sender against a server that insists on STARTTLS before AUTH: it upgrades,
checks the server's certificate against the CA named by `SSL_CERT_FILE`, logs in and
sends; a wrong password is a failed send (the row goes FAILED), not a crash."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select

from domain.order import PlaceOrder
from notifications import build_notifier
from notifications.records import FAILED, NOTIFICATIONS
from notifications.senders import build_message, sender_for
from notifications.templates import Rendered
from tests.notifications.smtp_server import free_port
from tests.scenarios.fulfilment_shop import ADDRESS, FulfilmentShop
from tests.support.tls import self_signed

USER, PASSWORD = "shop", "s3cret"


@dataclass
class Seen:
    """What the server on `port` saw: the logins it accepted (and whether over TLS), the
    messages (with whether over TLS and the login of their session)."""

    port: int
    logins: list[tuple[str, bool]] = field(default_factory=list)
    messages: list[tuple[EmailMessage, bool, str | None]] = field(default_factory=list)

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = data.login.decode()
        if (login, data.password.decode()) != (USER, PASSWORD):
            return AuthResult(success=False, handled=False)
        self.logins.append((login, session.ssl is not None))
        return AuthResult(success=True, auth_data=data)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        login = session.auth_data.login.decode() if session.authenticated else None
        self.messages.append((message, session.ssl is not None, login))
        return "250 OK"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed(tmp_path)


@pytest.fixture
def seen(certificate: tuple[Path, Path]) -> Iterator[Seen]:
    """A server that takes AUTH and mail only after STARTTLS, with `certificate`."""
    cert_path, key_path = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    recorder = Seen(free_port())
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=recorder.port,
        tls_context=context,
        require_starttls=True,
        auth_require_tls=True,
        authenticator=recorder.authenticate,
    )
    controller.start()
    yield recorder
    controller.stop()


def url(seen: Seen, password: str = PASSWORD) -> str:
    return f"smtp://{USER}:{password}@127.0.0.1:{seen.port}?starttls=true"


def a_message() -> EmailMessage:
    rendered = Rendered("Your order", "Thanks!", "<p>Thanks!</p>")
    return build_message(str(uuid4()), "Acme Shop <shop@acme.test>", "kim@example.com", rendered)


def test_the_sender_upgrades_to_tls_logs_in_and_sends(seen, certificate, settings_for, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test server's CA
    message = a_message()

    sender_for(settings_for("sqlite", smtp_url=url(seen))).send(message)

    assert seen.logins == [(USER, True)]
    [(received, over_tls, login)] = seen.messages
    assert (over_tls, login) == (True, USER)
    assert received["Message-ID"] == message["Message-ID"]


def test_a_server_whose_certificate_is_not_trusted_gets_nothing(
    seen, settings_for, monkeypatch
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)  # the system CAs only

    with pytest.raises(ssl.SSLCertVerificationError):
        sender_for(settings_for("sqlite", smtp_url=url(seen))).send(a_message())

    assert (seen.logins, seen.messages) == ([], [])


def test_a_wrong_password_is_a_sender_error(seen, certificate, settings_for, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))

    with pytest.raises(smtplib.SMTPAuthenticationError):
        sender_for(settings_for("sqlite", smtp_url=url(seen, "wrong"))).send(a_message())

    assert (seen.logins, seen.messages) == ([], [])


@pytest.mark.scenario
def test_the_notifier_records_a_wrong_password_as_failed(
    backend, seen, certificate, settings_for, monkeypatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    settings = settings_for(backend, smtp_url=url(seen, "wrong"), notification_max_attempts=3)
    shop = FulfilmentShop(settings)
    notifier = build_notifier(shop.container)
    try:
        shop.stock("SKU-1", 10)
        lines = [{"sku": "SKU-1", "quantity": 1}]
        contact = {"email": "kim@example.com"}
        placed = PlaceOrder("cust-1", str(uuid4()), lines, None, "tok_ok", ADDRESS, contact)
        shop.bus.handle(placed)
        shop.settle()

        notifier.run_until_idle()

        columns = NOTIFICATIONS.c.status, NOTIFICATIONS.c.last_error
        with shop.container.read_models.dead_letters.engine.connect() as conn:
            [(status, error)] = conn.execute(select(*columns)).all()
        assert status == FAILED
        assert "535" in error
        assert seen.messages == []
    finally:
        notifier.close()
        shop.close()
