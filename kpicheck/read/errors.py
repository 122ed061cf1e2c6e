"""The one error every reader raises for a file it cannot read."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read: `code` is stable (used in reports), `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
