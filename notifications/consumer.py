"""The notifier: follows the log with its own checkpoint, records one message per
customer-facing moment, and sends what is due. Not a projection: nothing rebuilds it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from eventsourcing.persistence import Notification

from commands.process_managers.messages import no_crash
from eventstore.dead_letters import DeadLetters, Strikes, error_text
from eventstore.fencing import current_leases
from eventstore.log import EventLog
from eventstore.sealing import Sealer
from eventstore.versions import AggregateVersions
from notifications.moments import ERASED, TOPICS, moment_of
from notifications.records import PENDING, SKIPPED, Due, NotificationRecords
from notifications.retries import HandedBack
from notifications.senders import Sender, build_message, shop_name
from notifications.templates import Rendered, render

NAME = "notifier"
log = logging.getLogger(__name__)


class Notifier:
    """Trigger: the events of `moments.KINDS`. Steps: per batch, insert the messages and
    move the checkpoint in one transaction (under the lease); then send what is due. An
    event that fails `max_attempts` times is parked as a `notifier` dead letter."""

    name = NAME

    def __init__(
        self,
        log: EventLog,
        records: NotificationRecords,
        delivery: Delivery,
        letters: DeadLetters,
        locale: str,
        max_attempts: int,
        batch_size: int = 200,
        crash: Callable[[str], None] = no_crash,
    ) -> None:
        self.log, self.records, self.delivery, self.letters = log, records, delivery, letters
        self.locale, self.max_attempts, self.batch_size = locale, max_attempts, batch_size
        self.position: int | None = None
        self.strikes = Strikes(NAME, max_attempts, delivery.clock)
        self.crash = crash  # the drills' hook: after each commit that recorded something
        self.handed_back = HandedBack(letters, NAME, delivery.clock)
        self.versions = AggregateVersions(log.store)

    def run_batch(self) -> int:
        self.handed_back.take_up(self)
        if self.position is None:
            self.position = self.records.checkpoint(NAME)
        stored, upto = self.log.stored_batch(self.position, self.batch_size, TOPICS)
        rows: list[dict[str, Any]] = []
        for notification in stored:
            try:
                rows.extend(self.rows_of(notification))
            except Exception as error:
                self._save(rows, self.position)  # what went before stays recorded
                self._count(notification, error)  # raises until it parks
                rows = []
            self.position = notification.id
        self._save(rows, upto)
        return len(stored)

    def fire_deadlines(self) -> int:
        return self.delivery.send_due()

    def rows_of(self, stored: Notification) -> list[dict[str, Any]]:
        event = self.log.decoded(stored)
        if stored.topic == ERASED:
            self.forget_customer(event.data_subject())
            return []
        moment = moment_of(self.versions, event)
        if moment is None:
            return []
        customer_id = moment.order.customer_id
        sealed = None
        if moment.recipient:
            sealed = self.delivery.sealer.seal(customer_id, "recipient", moment.recipient)
        rendered = render(moment, self.locale, shop_name(self.delivery.mail_from))
        now = self.delivery.now()
        return [
            {
                "notification_id": moment.notification_id,
                "customer_id": customer_id,
                "order_id": moment.order.order_id,
                "kind": moment.kind,
                "channel": "email",
                "recipient": None,  # sealed: only the customer's key opens it
                "sealed_recipient": None if sealed is None else json.dumps(sealed),
                "subject": rendered.subject,
                "text_body": rendered.text,
                "html_body": rendered.html,
                "status": PENDING if sealed else SKIPPED,
                "attempts": 0,
                "next_attempt_at": now if sealed else None,
                "created_at": now,
            }
        ]

    def forget_customer(self, customer_id: str | None) -> None:
        """`Customer.Erased`: no message record or outbox copy keeps their address. Safe
        to repeat (a replay of the event forgets nothing more)."""
        if customer_id is not None:
            self.delivery.sender.forget(self.records.forget_customer(customer_id))

    def _save(self, rows: list[dict[str, Any]], position: int) -> None:
        moved = rows or position != self.position
        self.records.record(rows, NAME, position, current_leases())
        self.position = position
        if moved:
            self.crash("notifier: recorded")

    def _count(self, stored: Notification, error: Exception) -> None:
        if not self.strikes.count(stored, error):
            raise error
        self.letters.park(self.strikes.letter(NAME, stored, error))
        self.strikes.clear()

    def flush(self) -> None:
        """Nothing waits in memory: every batch is saved as it ends."""

    def forget(self) -> None:
        self.position = None

    def repartition(self, partition: Any) -> None:
        self.forget()  # one unit of work, never split


class Delivery:
    """Sends due messages: SENDING is stored (one more attempt) before the SMTP session
    starts, SENT or FAILED/DEAD after it."""

    def __init__(
        self,
        records: NotificationRecords,
        sender: Sender,
        mail_from: str,
        max_attempts: int,
        clock: Callable[[], datetime],
        sealer: Sealer,
        retry_base_s: float = 1.0,
        claim_s: float = 120.0,
        crash: Callable[[str], None] = no_crash,
    ) -> None:
        self.records, self.sender, self.mail_from = records, sender, mail_from
        self.max_attempts, self.clock, self.sealer = max_attempts, clock, sealer
        self.retry_base_s, self.claim_s, self.crash = retry_base_s, claim_s, crash

    def now(self) -> float:
        return self.clock().timestamp()

    def send_due(self) -> int:
        """Try every due message once; how many were tried."""
        tried = 0
        for due in self.records.due(self.now()):
            now, leases = self.now(), current_leases()
            # The claim outlives any SMTP session (its timeout is far shorter): a SENDING
            # row still there after it belongs to a sender that died mid-send.
            if not self.records.claim(due, now, now + self.claim_s, leases):
                continue
            self.crash("notifier: claimed")
            tried += 1
            recipient = self._recipient(due)
            if recipient is None:  # its customer was erased since it was recorded
                self.records.skip(due, leases)
                continue
            rendered = Rendered(due.subject, due.text_body, due.html_body)
            try:
                message = build_message(due.notification_id, self.mail_from, recipient, rendered)
                self.sender.send(message)
            except Exception as error:
                # A refusal names the address it refused: neither the record nor the log
                # may keep it in clear.
                said = error_text(error).replace(recipient, "<recipient>")
                self.records.failed(due, said, self._retry_at(due, now), leases)
                log.warning("notification %s failed: %s", due.notification_id, said)
            else:
                self.crash("notifier: sent over SMTP")  # the at-least-once window
                self.records.sent(due, self.now(), leases)
                self.crash("notifier: marked SENT")
        return tried

    def _recipient(self, due: Due) -> str | None:
        if due.sealed_recipient is None:
            return due.recipient
        opened = self.sealer.open("recipient", json.loads(due.sealed_recipient))
        return None if opened is None else str(opened)

    def _retry_at(self, due: Any, now: float) -> float | None:
        """Exponential backoff from `retry_base_s`, capped at an hour; None: DEAD."""
        if due.attempts + 1 >= self.max_attempts:
            return None
        return now + min(self.retry_base_s * 2**due.attempts, 3600.0)
