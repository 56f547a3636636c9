"""Text fit for a terminal: stored or typed text made safe to show, whoever wrote it."""

from __future__ import annotations


def safe_text(text: str, limit: int | None = None) -> str:
    """`text` fit for a terminal: control and other invisible characters become U+FFFD.

    Stored names were cleaned when saved, but the file may have been written by anyone.
    """
    out = "".join(ch if ch.isprintable() else "\ufffd" for ch in str(text))
    return out[:limit] if limit is not None else out
