"""Which fields of an event are personal data, and whose.

Email addresses, names, postal addresses and an order's contact are personal data (SPEC
section 8). An event class names the fields that hold them in `PERSONAL_FIELDS`; the
store seals those fields with the data key of the event's `data_subject()` (the customer
they are about) and opens them again on loading. Once that customer is erased, their key
is gone and the fields load as None: every aggregate and projector that reads them
accepts None.

The domain only declares; the sealing itself is the event store's (`eventstore.sealing`).
"""

from __future__ import annotations

from typing import Any


def now_sealable(state: dict[str, Any]) -> None:
    """Upcaster to the first version whose personal fields may be stored sealed.

    The version bump tells anyone reading the stored JSON that these fields may hold a
    `{"sealed": ..., "by": ...}` envelope from then on; a clear value, as every older
    version stored, is still a valid value of the new version, so nothing is rewritten.
    """
