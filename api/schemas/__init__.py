"""Request and response models of the HTTP APIs (HTTP-only; never domain objects)."""
