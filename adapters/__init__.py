"""Adapters behind the write side's ports that talk to the outside world."""
