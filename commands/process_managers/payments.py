"""The saga's side of the payment gateway: send a capture once, ask again after a crash."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from commands.payment_gateway import (
    CAPTURED,
    PENDING,
    GatewayAnswer,
    PaymentGateway,
    capture_with_retries,
)
from commands.process_managers.dispatch import Dispatcher
from domain.checkout import Checkout, CollectPayment
from domain.payment import CapturePayment, DeclinePayment
from domain.shared.ids import payment_stream
from eventstore.fencing import Lease, check_leases, current_leases


class PaymentDesk:
    """Turns the gateway's answers into Payment commands.

    The capture goes out only after the Checkout has durably recorded `CaptureSent`, with
    the payment id as idempotency key. A Checkout found in that state after a restart, or
    at its deadline, asks the gateway (`lookup`) instead of capturing again, and sends the
    capture only if the gateway never took one.
    """

    def __init__(
        self,
        gateway: PaymentGateway,
        dispatcher: Dispatcher,
        clock: Callable[[], datetime],
        timeout_s: float,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.gateway = gateway
        self.dispatcher = dispatcher
        self.clock = clock
        self.timeout = timedelta(seconds=timeout_s)
        self.retry_options: dict[str, Any] = {} if sleep is None else {"sleep": sleep}
        self._pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="capture")

    def prepare(self, checkout: Checkout) -> None:
        """Record that the capture is about to go out; it must be durable before `send`."""
        checkout.record_capture_sent(self.clock() + self.timeout)

    def send_all(self, steps: list[CollectPayment]) -> list[list[Any]]:
        """Capture a batch at once, then record each answer (the events, per step).

        The requests go out together: over the network each waits a few milliseconds for
        the provider, and one after another they made the gateway the saga's ceiling
        (about 150 orders/s against 460 in process). Answers are recorded one at a time,
        through the saga's single-threaded unit of work.
        """
        if not steps:
            return []
        self.dispatcher.crash("capture recorded")
        leases = current_leases()  # the pool's threads do not see this context's leases
        answers = (
            list(self._pool.map(lambda step: self._ask(step, leases), steps))
            if len(steps) > 1
            else [self._ask(step, leases) for step in steps]
        )
        self.dispatcher.crash("gateway answered")
        return [
            self._record(step.order_id, answer) for step, answer in zip(steps, answers, strict=True)
        ]

    def _ask(self, step: CollectPayment, leases: tuple[Lease, ...]) -> GatewayAnswer | None:
        return self._capture(step.order_id, step.amount, step.currency, step.token, leases)

    def recheck(self, checkout: Checkout) -> list[Any]:
        """The gateway's answer for a capture that may or may not have reached it."""
        answer = self.gateway.lookup(payment_stream(checkout.order_id))
        overdue = checkout.due_at is not None and self.clock() >= checkout.due_at
        if answer is None and not overdue:  # it never took the capture: send it now
            answer = self._capture(
                checkout.order_id,
                checkout.total,
                checkout.currency,
                checkout.payment_token,
                current_leases(),
            )
        return self._record(checkout.order_id, answer)

    def _capture(
        self, order_id: str, amount: int, currency: str, token: str, leases: tuple[Lease, ...]
    ) -> GatewayAnswer | None:
        """Send the capture, unless a partition's lease ran out: a worker that stalled
        may have been replaced, and the new owner sends it (a second request would be one
        the provider sees, idempotency key or not)."""
        check_leases(leases)
        pay_id = payment_stream(order_id)
        return capture_with_retries(
            self.gateway, pay_id, amount, currency, token, **self.retry_options
        )

    def _record(self, order_id: str, answer: GatewayAnswer | None) -> list[Any]:
        if answer is None or answer.status == PENDING:
            return []  # no answer yet: the deadline decides
        if answer.status == CAPTURED:
            command: object = CapturePayment(order_id, str(answer.reference))
        else:
            command = DeclinePayment(order_id, answer.reason or "declined")
        event = self.dispatcher.run(command)
        return [] if event is None else [event]
