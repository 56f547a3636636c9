"""Waiting for something to happen in a test: on the event itself, bounded by a deadline.

A fixed sleep is either too short on a loaded machine (the test fails) or too long on a
quiet one (the suite crawls). These wait for the condition and give up only at a deadline
long enough for a machine whose cores are busy with other work: the deadline is there to
end a test that hangs, not to pace one that works.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

DEADLINE_S = 60.0
POLL_S = 0.02  # how often the condition is looked at again (the app runs meanwhile)


async def wait_until(
    pilot,  # type: ignore[no-untyped-def]
    condition: Callable[[], object],
    *,
    timeout: float = DEADLINE_S,
    what: str | Callable[[], str] = "",
) -> None:
    """Let the app run until `condition()` is true; fail after `timeout` seconds, saying
    `what` (a string, or a function giving one, e.g. the screen's text then)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() >= end:
            said = what() if callable(what) else what
            raise AssertionError(f"timed out after {timeout:g} s waiting; {said}".rstrip("; "))
        await pilot.pause(POLL_S)
