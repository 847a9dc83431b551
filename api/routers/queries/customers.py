"""Customer reads: my own account (customer), the accounts list and one account (admin).

Email, name and addresses come from each Customer aggregate in the event store, the only
place they rest; the list's order, statuses and total come from the `customers` read
model. `GET /customers/me` after erasure answers 200 with status `ERASED` and null email
and name (the account still exists as a fact; its personal data is gone), which tells a
client holding a still-valid token what happened instead of a bare 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from api.customer_profiles import item_of, load_customer, profile_of
from api.deps import CustomerDep, EventStoreDep, FreshnessDep, require_admin
from api.errors import ApiError, responses
from api.schemas.customers import CustomerItem, CustomerPage, CustomerProfile
from api.schemas.fields import ORDER_ID_PATTERN
from api.schemas.params import Consistency, Page, Size
from queries.customers import CustomerQueries

router = APIRouter(prefix="/customers", tags=["customers"], responses=responses(401, 422, 503))
CustomerIdPath = Annotated[str, Path(pattern=ORDER_ID_PATTERN, description="The customer's id.")]
VIEW = "customers"


class CustomerParams(Consistency):
    page: Page = 1
    size: Size = 20


async def get_customer_queries(request: Request) -> CustomerQueries:
    queries: CustomerQueries = request.app.state.queries.customers
    return queries


CustomerQueriesDep = Annotated[CustomerQueries, Depends(get_customer_queries)]


def _unknown(customer_id: str) -> ApiError:
    return ApiError(404, "unknown_customer", f"customer {customer_id} does not exist")


@router.get(
    "/me", responses=responses(403, 404), summary="My account: email, name, addresses (customer)"
)
def me(principal: CustomerDep, store: EventStoreDep) -> CustomerProfile:
    customer = load_customer(store, principal.sub)
    if customer is None:
        raise _unknown(principal.sub)
    return profile_of(customer)


@router.get(
    "",
    dependencies=[Depends(require_admin)],
    responses=responses(403),
    summary="Customer accounts, newest first (admin)",
)
def customers(
    params: Annotated[CustomerParams, Query()],
    queries: CustomerQueriesDep,
    store: EventStoreDep,
    fresh: FreshnessDep,
) -> CustomerPage:
    fresh.await_position(VIEW, params.min_position)
    total, rows = queries.page(params.page, params.size)
    loaded = [load_customer(store, row["customer_id"]) for row in rows]
    return CustomerPage(total=total, items=[item_of(c) for c in loaded if c is not None])


@router.get(
    "/{customer_id}",
    dependencies=[Depends(require_admin)],
    responses=responses(403, 404),
    summary="One customer account (admin)",
)
def customer(customer_id: CustomerIdPath, store: EventStoreDep) -> CustomerItem:
    found = load_customer(store, customer_id.lower())
    if found is None:
        raise _unknown(customer_id)
    return item_of(found)
