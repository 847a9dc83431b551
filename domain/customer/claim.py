"""The EmailClaim aggregate: which account holds an email address."""

from __future__ import annotations

from eventsourcing.domain import event

from domain.customer.errors import EmailTaken
from domain.customer.values import email_claim_stream
from domain.shared.base import Created, EventSourced


class EmailClaim(EventSourced):
    """Stream `email-<sha256 hex of the normalised email>`: one account per email.

    Two sign-ups with one email both append to this stream at the version they read, so
    optimistic concurrency lets exactly one of them through, whatever the timing. The
    stream's name is a hash, so it holds no readable address; `customer_id` is not
    personal. Erasing the account releases the claim, and the email may sign up again.
    """

    TOPIC = "shop.email_claim"

    class Claimed(Created):
        TOPIC = "shop.email_claim.claimed"
        customer_id: str

    class ClaimedAgain(EventSourced.Event):
        """A released email taken by a new account (the stream already exists)."""

        TOPIC = "shop.email_claim.claimed_again"
        customer_id: str

    class Released(EventSourced.Event):
        TOPIC = "shop.email_claim.released"
        customer_id: str

    @classmethod
    def claim(cls, email: str, customer_id: str) -> EmailClaim:
        # The id is the email's hash; the email itself is never part of the event.
        return cls._create(cls.Claimed, id=email_claim_stream(email), customer_id=customer_id)

    @event(Claimed)
    def __init__(self, customer_id: str) -> None:
        self.customer_id = customer_id  # the holder, or the last one once released
        self.held = True

    def claim_again(self, customer_id: str) -> None:
        if self.held and self.customer_id != customer_id:
            raise EmailTaken("this email is already registered")
        if not self.held:
            self._claimed_again(customer_id)

    def release(self, customer_id: str) -> None:
        """Free the email, if `customer_id` holds it; otherwise nothing to do."""
        if self.held and self.customer_id == customer_id:
            self._released(customer_id)

    @event(ClaimedAgain)
    def _claimed_again(self, customer_id: str) -> None:
        self.customer_id, self.held = customer_id, True

    @event(Released)
    def _released(self, customer_id: str) -> None:
        self.held = False
