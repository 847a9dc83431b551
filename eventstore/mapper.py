"""`MetadataMapper`: between the shop's domain events and the stored events."""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic

from domain.shared.context import current_metadata
from eventstore.sealing import Sealer


class MetadataMapper(Mapper[str]):
    """Stores each event's correlation/causation ids inside its state, under `metadata`,
    and its personal fields sealed under their customer's data key (`eventstore.sealing`).

    Decoded events get the ids back as a plain attribute (`event.metadata`), which
    dataclass equality ignores, so the domain never sees them; personal fields come back
    open, or None once the customer was erased. They are opened after upcasting: an
    upcaster sees a sealed field as its envelope and must leave it alone.
    """

    def __init__(self, transcoder: Transcoder, sealer: Sealer) -> None:
        super().__init__(transcoder=transcoder)
        self.sealer = sealer

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        event_state = dict(vars(domain_event))
        originator_id = event_state.pop("originator_id")
        originator_version = event_state.pop("originator_version")
        cls = type(domain_event)
        class_version = getattr(cls, "class_version", 1)
        if class_version > 1:
            event_state["class_version"] = class_version
        event_state.setdefault("metadata", current_metadata())
        personal = getattr(cls, "PERSONAL_FIELDS", ())
        if personal:
            self.sealer.seal_fields(event_state, personal, domain_event.data_subject())
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=self.transcoder.encode(event_state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        domain_event = super().to_domain_event(stored_event)
        personal = getattr(type(domain_event), "PERSONAL_FIELDS", ())
        if personal:
            self.sealer.open_fields(vars(domain_event), personal)
        return domain_event
