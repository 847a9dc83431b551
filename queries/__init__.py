"""The read side's readers: query objects over views only, returning plain dataclasses."""
