"""The message of each kind, in English and Korean, as plain text and HTML.

`string.Template` from the standard library: the messages are short and fixed, so no
template engine is needed. Every value is escaped before it goes into the HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from string import Template
from typing import Any

from notifications.moments import Moment

# kind -> locale -> (subject, the sentence that says what happened)
WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "order_confirmed": {
        "en": ("Your order is confirmed", "Thank you! We have your payment and order $order."),
        "ko": (
            "주문이 확정되었습니다",
            "감사합니다! 주문 $order 의 결제가 완료되어 주문이 확정되었습니다.",
        ),
    },
    "order_cancelled": {
        "en": ("Your order was cancelled", "Order $order was cancelled (reason: $reason)."),
        "ko": ("주문이 취소되었습니다", "주문 $order 이(가) 취소되었습니다 (사유: $reason)."),
    },
    "shipment_shipped": {
        "en": ("Your order has shipped", "Order $order is on its way. Tracking number: $tracking."),
        "ko": (
            "상품이 발송되었습니다",
            "주문 $order 의 상품이 발송되었습니다. 운송장 번호: $tracking.",
        ),
    },
    "shipment_delivered": {
        "en": ("Your order was delivered", "Order $order was delivered (tracking $tracking)."),
        "ko": (
            "상품이 배송 완료되었습니다",
            "주문 $order 의 상품이 배송 완료되었습니다 (운송장 $tracking).",
        ),
    },
    "return_approved": {
        "en": ("Your return is approved", "We approved return $return_id for order $order."),
        "ko": ("반품이 승인되었습니다", "주문 $order 의 반품 $return_id 이(가) 승인되었습니다."),
    },
    "return_rejected": {
        "en": (
            "Your return was declined",
            "Return $return_id for order $order was declined: $reason.",
        ),
        "ko": (
            "반품이 거절되었습니다",
            "주문 $order 의 반품 $return_id 이(가) 거절되었습니다: $reason.",
        ),
    },
    "refund_issued": {
        "en": ("Your refund is on its way", "We refunded $amount for order $order."),
        "ko": ("환불이 처리되었습니다", "주문 $order 에 대해 $amount 이(가) 환불되었습니다."),
    },
}
LABELS = {
    "en": {"order": "Order", "subtotal": "Subtotal", "discount": "Discount", "total": "Total"},
    "ko": {"order": "주문", "subtotal": "상품 금액", "discount": "할인", "total": "합계"},
}
ZERO_DECIMALS = frozenset({"KRW", "JPY", "VND", "CLP", "ISK", "HUF", "TWD"})


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def money(amount: int, currency: str) -> str:
    """Minor units as a reader expects them: 12,000 KRW, 12.50 EUR."""
    if currency in ZERO_DECIMALS:
        return f"{amount:,} {currency}"
    return f"{amount // 100:,}.{amount % 100:02d} {currency}"


def render(moment: Moment, locale: str, shop_name: str) -> Rendered:
    locale = locale if locale in LABELS else "en"
    subject, sentence = WORDS[moment.kind][locale]
    values = _values(moment)
    said = Template(sentence).substitute(values)
    safe = Template(sentence).substitute({k: escape(v) for k, v in values.items()})
    head, rows = _order_rows(moment.order, LABELS[locale])
    text = "\n".join([shop_name, "", said, "", head, *(f"  {a}  {b}" for a, b in rows)])
    cells = "".join(f"<tr><td>{escape(a)}</td><td>{escape(b)}</td></tr>" for a, b in rows)
    html = (
        f"<html><body><h1>{escape(shop_name)}</h1><p>{safe}</p>"
        f"<h2>{escape(head)}</h2><table>{cells}</table></body></html>"
    )
    return Rendered(f"[{shop_name}] {subject}", text + "\n", html)


def _order_rows(order: Any, labels: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The order's heading, then one row per line and per total: (what, how much)."""
    currency = order.currency
    rows = [
        (
            f"{line['quantity']} x {line['name']}",
            money(line["quantity"] * line["unit_price"], currency),
        )
        for line in order.lines
    ]
    rows += [
        (labels[key], money(getattr(order, key), currency))
        for key in ("subtotal", "discount", "total")
    ]
    return f"{labels['order']} {order.order_id}", rows


def _values(moment: Moment) -> dict[str, str]:
    details, order = moment.details, moment.order
    amount = details.get("amount", details.get("refund_amount", 0))
    return {
        "order": order.order_id,
        "reason": _readable(str(details.get("reason", ""))),
        "tracking": str(details.get("tracking_number", "")),
        "return_id": str(details.get("return_id", "")),
        "amount": money(int(amount or 0), order.currency),
    }


def _readable(reason: str) -> str:
    """A reason code (CUSTOMER_REQUEST) as words; a person's own words stay as written."""
    return reason.replace("_", " ").lower() if reason.isupper() else reason
