"""The people of the erasure test and what the shop says about them: a person whose email,
name and streets are unmistakable strings, that person speaking with their own login, the
money of their orders and the read side's answers about them."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from tests.e2e.fulfilment_client import FulfilmentClient
from tests.e2e.server import SHOP, ShopServer
from tests.e2e.world import wait_for

MONEY = ("status", "subtotal", "discount", "total", "currency", "payment_status", "refunded_total")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    streets: tuple[str, str]
    password: str = "correct horse battery staple"

    @classmethod
    def invent(cls, given: str) -> Person:
        """Strings found nowhere else: a tag of this run in each of them."""
        tag = uuid4().hex[:10]
        return cls(
            email=f"{given}.{tag}@erasure.example",
            name=f"{given.title()} Quillfeather{tag}",
            streets=(f"Haneul-ro {tag}-8812", f"Bomun-gil {tag}-4417"),
        )

    @property
    def strings(self) -> tuple[str, ...]:
        return (self.email, self.name, *self.streets)

    def address(self, street: str) -> dict[str, str]:
        return {
            "name": self.name,
            "line1": street,
            "city": "Seoul",
            "postal_code": "04524",
            "country": "KR",
        }


@dataclass
class Shopper:
    """A customer who signed up and logged in: every request with their own access token."""

    http: httpx.Client
    person: Person
    customer_id: str = ""
    access: str = ""
    refresh: str = ""
    orders: list[str] = field(default_factory=list)

    def sign_up(self) -> Shopper:
        p = self.person
        body = {"email": p.email, "password": p.password, "name": p.name}
        created = self.http.post("/customers", json=body)
        assert created.status_code == 201, created.text
        self.customer_id = created.json()["customer_id"]
        self.tokens(self.log_in())
        return self

    def log_in(self) -> httpx.Response:
        body = {"email": self.person.email, "password": self.person.password}
        return self.http.post("/auth/token", json=body)

    def renew(self) -> httpx.Response:
        return self.http.post("/auth/refresh", json={"refresh_token": self.refresh})

    def tokens(self, answer: httpx.Response) -> None:
        assert answer.status_code == 200, answer.text
        self.access, self.refresh = answer.json()["access_token"], answer.json()["refresh_token"]

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}

    def keep_addresses(self) -> None:
        body = {"addresses": [self.person.address(s) for s in self.person.streets]}
        answer = self.http.patch("/customers/me", json=body, headers=self.headers)
        assert answer.status_code == 202, answer.text

    def order(self, lines: dict[str, int], address: dict[str, str]) -> str:
        body = {
            "lines": [{"sku": s, "quantity": q} for s, q in lines.items()],
            "payment": {"token": "tok_ok"},
            "shipping_address": address,
            "contact": {"email": self.person.email},
        }
        headers = {**self.headers, "Idempotency-Key": str(uuid4())}
        placed = self.http.post("/orders", json=body, headers=headers)
        assert placed.status_code == 202, placed.text
        self.orders.append(placed.json()["order_id"])
        return self.orders[-1]

    def ask_refund(self, order_id: str, lines: dict[str, int]) -> str:
        body = {
            "kind": "refund",
            "lines": [{"sku": s, "quantity": q} for s, q in lines.items()],
            "reason": "did not fit",
        }
        headers = {**self.headers, "Idempotency-Key": str(uuid4())}
        asked = self.http.post(f"/orders/{order_id}/returns", json=body, headers=headers)
        assert asked.status_code == 202, asked.text
        return str(asked.json()["return_id"])

    def me(self) -> httpx.Response:
        return self.http.get("/customers/me", headers=self.headers)


def outbox_mail(data_dir: Path, needle: str) -> list[Path]:
    """The embedded outbox's messages that mention `needle`."""
    outbox = data_dir / "outbox"
    files = sorted(outbox.glob("*.eml")) if outbox.exists() else []
    return [f for f in files if needle.encode() in f.read_bytes()]


def settled(server: ShopServer, admin: dict[str, str]) -> None:
    """Every projection has read the log up to its head."""

    def caught_up() -> bool:
        head = httpx.get(f"{server.url}/health").json()["head"]
        rows = httpx.get(f"{server.url}/projections", headers=admin).json()
        return all(row["position"] >= head for row in rows)

    wait_for(caught_up, "every projection at the head of the log", timeout_s=30)


def rebuild_all(server: ShopServer, log_path: Path) -> float:
    """`shop projections rebuild --all` beside the running server, with its settings, its
    output in `log_path`; the seconds it took."""
    started = time.monotonic()
    with log_path.open("wb") as log:
        done = subprocess.run(
            [SHOP, "projections", "rebuild", "--all"],
            env=server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            timeout=120,
        )
    assert done.returncode == 0, log_path.read_text(errors="replace")
    return time.monotonic() - started


def money(shop: FulfilmentClient, gone: Shopper) -> dict[str, Any]:
    """Each of their orders' money and statuses, and what the provider was asked for it."""
    psp = shop.simulator("psp")
    facts: dict[str, Any] = {}
    for order_id in gone.orders:
        view = shop.view(order_id, who=gone.customer_id)
        facts[order_id] = {k: view[k] for k in MONEY} | {
            "fulfilment": (view["fulfilment"] or {}).get("status"),
            "returns": [(r["status"], r["refund_amount"]) for r in view["returns"]],
        }
        ledger = httpx.get(f"{psp}/ledger", params={"payment_id": f"payment-{order_id}"}).json()
        facts[f"ledger {order_id}"] = sorted((e["kind"], e["amount"]) for e in ledger)
    return facts


def views(shop: FulfilmentClient, gone: Shopper) -> dict[str, Any]:
    """What the read side answers about them, as the admin sees it."""
    paths = ["/customers", f"/customers/{gone.customer_id}/orders", "/shipments"]
    paths += [f"/customers/{gone.customer_id}/notifications"]
    for order_id in gone.orders:
        paths += [f"/orders/{order_id}", f"/orders/{order_id}/timeline"]
    answers = {path: shop.http.get(path, headers=shop.admin) for path in paths}
    assert {p: a.status_code for p, a in answers.items()} == dict.fromkeys(paths, 200)
    return {path: answer.json() for path, answer in answers.items()}


def mailed(shop: FulfilmentClient, who: Shopper, kinds: set[str]) -> list[Any] | None:
    path = f"/customers/{who.customer_id}/notifications"
    items = shop.http.get(path, headers=shop.admin).json()["items"]
    done = kinds <= {i["kind"] for i in items} and all(i["status"] == "SENT" for i in items)
    return items if done else None


def whole_log(shop: FulfilmentClient) -> list[dict[str, Any]]:
    """Every event of the shop as the store loads it (personal fields opened with their
    keys), oldest first."""
    answer = shop.http.get("/ops/api/events", params={"limit": 500}, headers=shop.admin)
    assert answer.status_code == 200, answer.text
    events: list[dict[str, Any]] = answer.json()["events"]
    assert len(events) < 500, "the log outgrew one page"
    return events[::-1]
