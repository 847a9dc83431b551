"""A real SMTP server for the tests (aiosmtpd on a free port) that counts what it accepts
per Message-ID and can refuse the first N messages (451 or 550)."""

from __future__ import annotations

import socket
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class CountingHandler:
    def __init__(self) -> None:
        self.refuse_next = 0  # messages still to refuse; -1: refuse all
        self.refusal = "451 4.3.0 try again later"
        self.refused = 0
        self.refuse_recipients = False  # refuse at RCPT TO: the refusal names the address
        self.received: list[EmailMessage] = []
        self.per_id: Counter[str] = Counter()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_recipients:
            self.refused += 1
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next:
            self.refuse_next -= 1 if self.refuse_next > 0 else 0
            self.refused += 1
            return self.refusal
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        self.per_id[str(message["Message-ID"])] += 1
        return "250 OK"


class SmtpServer:
    def __init__(self) -> None:
        self.handler = CountingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def to(self, recipient: str) -> list[EmailMessage]:
        return [m for m in self.handler.received if m["To"] == recipient]
