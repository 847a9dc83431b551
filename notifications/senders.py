"""Where messages go: an SMTP server (`SHOP_SMTP_URL`), else .eml files in the data dir.

Both take a finished `email.message.EmailMessage`; its Message-ID is the notification id,
so a receiver that sees a message twice (see `notifications` on when) can tell.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlparse

from config.settings import ConfigurationError, Settings
from notifications.templates import Rendered

SMTP_TIMEOUT_S = 10.0


class Sender(Protocol):
    def send(self, message: EmailMessage) -> None:
        """Hand `message` over; raise if it was not accepted."""

    def forget(self, notification_ids: list[str]) -> None:
        """Drop any copy of these messages this sender keeps (an erased customer's)."""


def build_message(
    notification_id: str, sender: str, recipient: str, rendered: Rendered
) -> EmailMessage:
    message = EmailMessage()
    message["Message-ID"] = f"<{notification_id}@{_domain(sender)}>"
    message["From"], message["To"] = sender, recipient
    message["Subject"] = rendered.subject
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    return message


def shop_name(mail_from: str) -> str:
    """The display name of `SHOP_MAIL_FROM` ("Acme Shop <shop@acme.test>"), else "Shop"."""
    return parseaddr(mail_from)[0] or "Shop"


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


class FileSender:
    """The embedded default: one `<notification id>.eml` per message under `directory`.

    Written to a temporary name and renamed, so a reader never sees half a message and a
    second write of the same message replaces the first instead of adding one.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        name = str(message["Message-ID"]).strip("<>").partition("@")[0]
        partial = self.directory / f".{name}.tmp"
        partial.write_bytes(message.as_bytes())
        partial.replace(self.directory / f"{name}.eml")

    def forget(self, notification_ids: list[str]) -> None:
        """The files are in the shop's data dir: an erased customer's go with them."""
        for notification_id in notification_ids:
            (self.directory / f"{notification_id}.eml").unlink(missing_ok=True)


class SmtpSender:
    """One SMTP session per message (a few a minute: no pool worth keeping)."""

    def __init__(
        self,
        host: str,
        port: int,
        starttls: bool = False,
        login: tuple[str, str] | None = None,
        timeout_s: float = SMTP_TIMEOUT_S,
    ) -> None:
        self.host, self.port, self.starttls = host, port, starttls
        self.login, self.timeout_s = login, timeout_s

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls(context=_verifying_context())
            if self.login is not None:
                smtp.login(*self.login)
            refused = smtp.send_message(message)
        if refused:  # some recipients refused; ours is the only one
            raise smtplib.SMTPRecipientsRefused(refused)

    def forget(self, notification_ids: list[str]) -> None:
        """Nothing kept here: what the mail server delivered is in the recipient's hands."""


def _verifying_context() -> ssl.SSLContext:
    """Checks the server's certificate and name. `starttls()` without a context checks
    neither. `SSL_CERT_FILE`, as OpenSSL users expect, names the CA file to trust instead
    of the system's (a private CA, a test server); unset, the system's CAs are trusted.
    """
    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE"))


def smtp_from_url(url: str) -> SmtpSender:
    """`smtp://[user:pass@]host:port[?starttls=true]`."""
    parsed = urlparse(url)
    if parsed.scheme != "smtp" or not parsed.hostname:
        raise ConfigurationError(
            "SHOP_SMTP_URL must look like smtp://[user:pass@]host:port[?starttls=true]"
        )
    query = parse_qs(parsed.query)
    starttls = query.get("starttls", ["false"])[0].lower() in ("1", "true", "yes")
    login = None
    if parsed.username:
        login = (unquote(parsed.username), unquote(parsed.password or ""))
    return SmtpSender(parsed.hostname, parsed.port or 25, starttls, login)


def sender_for(settings: Settings) -> Sender:
    if settings.smtp_url:
        return smtp_from_url(settings.smtp_url)
    return FileSender(settings.data_dir / "outbox")
