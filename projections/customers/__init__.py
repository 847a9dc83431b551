"""The customers read model: account status only, never personal data."""
