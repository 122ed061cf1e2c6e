"""The one error every reader raises for a file it cannot read."""
from __future__ import annotations


class ReadError(Exception):
    """A file that cannot be read: `code` is stable (used in reports), `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def one_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's text on one line, cut to `limit` characters, for a report's message."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def forbidden_xml(exc: BaseException) -> bool:
    """Whether defusedxml refused the XML (a DTD or entity declaration) somewhere in the chain."""
    seen = 0
    while exc is not None and seen < 10:
        if "Forbidden" in type(exc).__name__:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False
