"""End-to-end tests against a real `shop serve` process."""
