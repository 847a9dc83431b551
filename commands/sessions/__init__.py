"""Logins: passwords checked against the accounts, failures counted, refresh tokens rotated."""

from __future__ import annotations

from commands.sessions.families import RefreshFamilies, RefreshRefused
from commands.sessions.login import LoginRefused, Logins, Session
from commands.sessions.throttle import LoginThrottle, TooManyFailures

__all__ = [
    "LoginRefused",
    "LoginThrottle",
    "Logins",
    "RefreshFamilies",
    "RefreshRefused",
    "Session",
    "TooManyFailures",
]
