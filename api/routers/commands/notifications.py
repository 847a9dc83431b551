"""An admin's retry of a customer message that failed or went DEAD."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status
from fastapi.concurrency import run_in_threadpool

from api.deps import AdminDep, ClockDep
from api.errors import ApiError, responses
from api.notifications import NotificationsDep
from api.schemas.notifications import RetryAccepted
from notifications.records import PENDING, SENT, SKIPPED

router = APIRouter(
    prefix="/notifications", tags=["notifications"], responses=responses(401, 403, 404, 409, 422)
)
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


@router.post(
    "/{notification_id}/retry",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Send a FAILED or DEAD message again, with a fresh round of attempts",
    description="202 also for one already on its way; 409 for one SENT or SKIPPED.",
)
async def retry_notification(
    notification_id: Annotated[str, Path(pattern=UUID_PATTERN)],
    _: AdminDep,
    records: NotificationsDep,
    clock: ClockDep,
) -> RetryAccepted:
    wanted = notification_id.lower()
    before = await run_in_threadpool(records.retry, wanted, clock().timestamp())
    if before is None:
        raise ApiError(404, "unknown_notification", f"notification {wanted} does not exist")
    if before in (SENT, SKIPPED):  # a repeat while it is PENDING is accepted again
        raise ApiError(409, "not_retryable", f"notification {wanted} is {before}")
    return RetryAccepted(notification_id=wanted, status=PENDING)
