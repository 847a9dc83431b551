"""Customer notifications: one email per customer-facing moment, exactly once.

Exactly once, in two steps. (1) The notifier follows the log with its own checkpoint
(`saga_checkpoints`, row `notifier`). A message's id is uuid5 of its triggering event's
stream id and version; the message is inserted with that id (a second insert of it does
nothing) in the transaction that moves the checkpoint and checks the lease. Replays,
restarts, redelivery, a forgotten checkpoint: the same ids, no new rows. It is not a
projection, so rebuilding a read model never touches it. (2) Sending is driven by the
rows: PENDING (or FAILED whose backoff is over) is claimed as SENDING, with one more
attempt, durably before the SMTP session starts; then SENT, or FAILED with exponential
backoff, or DEAD after `SHOP_NOTIFICATION_MAX_ATTEMPTS`. An admin retry gives a DEAD (or
FAILED) message a fresh round. A SENT row is never sent again.

A crash during the SMTP session leaves the row SENDING, and no SMTP server can be asked
whether it took the message. We choose at-least-once for that case: when the claim
runs out (`SHOP_NOTIFICATION_CLAIM_S`, far longer than the SMTP timeout) the message is
sent again, with the same Message-ID (`<notification id@sender's domain>`) so a receiver
can drop the copy.
A shop would rather send a confirmation or a tracking number twice than lose it, and
the window is only the moment between the server's final 250 and our SENT commit; a
crash anywhere earlier means the server never accepted the message at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commands.process_managers.messages import no_crash
from eventstore.lease_keeper import LeaseKeeper
from eventstore.leases import LeaseTable
from eventstore.sealing import Sealer
from notifications.consumer import NAME, Delivery, Notifier
from notifications.records import NotificationRecords
from notifications.runner import NotifierRunner
from notifications.senders import Sender, sender_for

__all__ = ["NAME", "NotificationRecords", "NotifierRunner", "build_notifier"]


def build_notifier(
    container: Any,
    leased: bool = False,
    sender: Sender | None = None,
    retry_base_s: float = 1.0,
    claim_s: float | None = None,
    crash: Callable[[str], None] = no_crash,
) -> NotifierRunner:
    """The notifier over `container`'s log, not started. `leased`: run only while this
    process holds the one `notifier` lease (group "notifier", one unit) among the workers.
    `claim_s`: overrides `settings.notification_claim_s`.
    `crash`: the drills' hook, called after each step's commit and after each SMTP send.
    """
    settings = container.settings
    letters = container.read_models.dead_letters  # the database beside the events
    records = NotificationRecords(letters.engine)
    if settings.create_tables:
        records.create_tables()
    chosen = sender if sender is not None else sender_for(settings)
    delivery = Delivery(
        records,
        chosen,
        settings.mail_from,
        settings.notification_max_attempts,
        container.clock,
        Sealer(container.store.keys),
        retry_base_s,
        settings.notification_claim_s if claim_s is None else claim_s,
        crash,
    )
    locale, attempts = settings.mail_locale, settings.max_attempts
    notifier = Notifier(container.log, records, delivery, letters, locale, attempts, crash=crash)
    keeper = None
    if leased:
        keeper = LeaseKeeper(LeaseTable(letters.engine), NAME, [NAME], settings.lease_ttl_s)
    return NotifierRunner(notifier, container.store, keeper)
