"""Customer account writes: sign-up (no token), the customer's own profile, erasure.

Sign-up is keyed by the optional `Idempotency-Key` (the account's id derives from it), so
a retry answers the same account and records nothing. It runs on the thread pool even on
the embedded store: an argon2id hash takes tens of milliseconds and would stall every
other request on the event loop. Erasure is idempotent by nature.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response, status

from api.deps import BusDep, CommandSender, CustomerDep, EventLogDep, PrincipalDep
from api.errors import ApiError, responses
from api.request_ids import IdempotencyKey, accepts_idempotency_key, request_id
from api.schemas.customers import CustomerCreated, CustomerWritten, ProfileBody, SignUpBody
from api.schemas.fields import ORDER_ID_PATTERN
from api.writes import position_of
from domain.customer import ChangeProfile, EraseCustomer, SignUp

router = APIRouter(prefix="/customers", tags=["customers"], responses=responses(409, 413, 422, 503))
CustomerIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The customer's id.")]


async def get_threaded_bus(request: Request) -> CommandSender:
    """The command sender, always on the thread pool (see the module docstring)."""
    return CommandSender(request.app.state.commands.bus, inline=False)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses=responses(400),
    summary="Sign up (no token); 409 `email_taken` if the email has an account",
)
async def sign_up(
    body: SignUpBody,
    bus: Annotated[CommandSender, Depends(get_threaded_bus)],
    log: EventLogDep,
    response: Response,
    key: IdempotencyKey = None,
) -> CustomerCreated:
    """Two sign-ups racing with one email: one 201, the other 409 `email_taken`."""
    rid = request_id("anonymous", "POST /customers", key)
    accepted = await bus.handle(SignUp(body.email, body.password, body.name, rid))
    customer_id = accepted.stream_id.removeprefix("customer-")
    response.headers["Location"] = f"/customers/{customer_id}"
    return CustomerCreated(customer_id=customer_id, position=position_of(accepted, log))


@router.patch(
    "/me",
    status_code=status.HTTP_202_ACCEPTED,
    responses=responses(400, 401, 403, 404),
    summary="Change my name or addresses (customer); `addresses` replaces the list",
)
async def change_profile(
    body: ProfileBody, principal: CustomerDep, bus: BusDep, log: EventLogDep
) -> CustomerWritten:
    """404 `unknown_customer` for a token whose `sub` has no account; 409
    `customer_erased` once erased."""
    addresses = None
    if body.addresses is not None:
        addresses = tuple(a.model_dump(exclude_none=True) for a in body.addresses)
    accepted = await bus.handle(ChangeProfile(principal.sub, body.name, addresses))
    return CustomerWritten(customer_id=principal.sub, position=position_of(accepted, log))


@router.post(
    "/{customer_id}/erase",
    status_code=status.HTTP_202_ACCEPTED,
    dependencies=[Depends(accepts_idempotency_key)],
    responses=responses(400, 401, 403, 404),
    summary="Erase a customer's personal data for good (admin, or the customer themselves)",
)
async def erase(
    customer_id: CustomerIdPath, principal: PrincipalDep, bus: BusDep, log: EventLogDep
) -> CustomerWritten:
    """Deletes the customer's data key, frees their email and records `Customer.Erased`;
    again: 202, nothing recorded. Another customer's account: 403."""
    customer_id = customer_id.lower()
    if not principal.is_admin and principal.sub != customer_id:
        raise ApiError(403, "forbidden", "a customer may erase only their own account")
    accepted = await bus.handle(EraseCustomer(customer_id))
    return CustomerWritten(customer_id=customer_id, position=position_of(accepted, log))
