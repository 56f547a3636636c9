"""A class connecting at once: players' processes start a few at a time, in order, so
first frames come out steadily instead of all near the end. Real server, real clients;
the server's log (written in order by one thread) says when each start began and ended.
Every wait is on an event, with a deadline."""

from __future__ import annotations

import asyncio
import re

import pytest

from tests.serve_support import Player, ServerProcess

LABEL = r"(#\d+ \S+ user='(\w+)')"


@pytest.fixture
def start_server(tmp_path):
    servers: list[ServerProcess] = []

    def start(**overrides) -> ServerProcess:
        srv = ServerProcess(tmp_path / f"s{len(servers)}", overrides=overrides)
        servers.append(srv.start())
        return srv

    yield start
    for srv in servers:
        assert srv.stop() == 0


def starts_in_log(log: list[str]) -> tuple[list[str], list[str], int]:
    """Who waited (in the order they queued), who started (in order), and the most
    players at any point between their "session start" line and the end of their start
    (a "first frame", "session slow" or "session end" line)."""
    waited, started, starting, most = [], [], set(), 0
    for line in log:
        if m := re.search(rf"session waits {LABEL}", line):
            waited.append(m.group(2))
        elif m := re.search(rf"session start {LABEL}", line):
            started.append(m.group(2))
            starting.add(m.group(2))
            most = max(most, len(starting))
        elif m := re.search(rf"(first frame|session slow|session end) {LABEL}", line):
            starting.discard(m.group(3))
    return waited, started, most


async def test_a_burst_starts_at_most_the_limit_at_once_in_order(start_server):
    # A wide deadline and no CPU check: here only first frames (or leaving) end a start.
    srv = start_server(start_limit=2, start_deadline=60.0, start_min_cpu=0)
    # Two players whose app never draws hold both places, so the class that connects
    # next all waits, whatever the machine's speed.
    stuck = [await Player().open(srv.port, username=f"stuck{i}") for i in range(2)]
    await srv.log_line("session start", count=2)
    players = await asyncio.gather(*(Player().open(srv.port, username=f"p{i}") for i in range(6)))
    try:
        await srv.log_line("session waits", count=6)
        assert not any("FIXTURE" in p.text() for p in players)
        await asyncio.gather(*(p.close() for p in stuck))
        await asyncio.gather(*(p.wait_for("FIXTURE READY", timeout=60) for p in players))
        await srv.log_line("first frame", count=6)
        waited, started, most = starts_in_log(list(srv.log))
        assert most <= 2
        assert waited == [name for name in started if name.startswith("p")]
        assert sorted(waited) == [f"p{i}" for i in range(6)]
        # Each of them plays: a key shows on their own screen.
        for i, p in enumerate(players):
            p.send(b"abc"[i % 3 : i % 3 + 1])
        for i, p in enumerate(players):
            await p.wait_for(f"keys={'abc'[i % 3]}")
    finally:
        await asyncio.gather(*(p.close() for p in [*stuck, *players]))


async def test_a_player_that_never_draws_holds_its_place_only_until_the_deadline(start_server):
    srv = start_server(start_limit=1, start_deadline=0.5, start_min_cpu=0)
    stuck = await Player().open(srv.port, username="stuck")
    await srv.log_line("session start #1")
    late = await Player().open(srv.port, username="late")
    try:
        await srv.log_line("session waits")
        await late.wait_for("FIXTURE READY")
        await srv.log_line("session slow #1")
        assert "FIXTURE" not in stuck.text()
        # The stuck one is still connected: the queue gave up its place, not the player.
        assert stuck.process.exit_status is None
    finally:
        await asyncio.gather(stuck.close(), late.close())


async def test_a_player_who_leaves_while_waiting_gives_up_the_place(start_server):
    srv = start_server(start_limit=1, start_deadline=60.0, start_min_cpu=0)
    stuck = await Player().open(srv.port, username="stuck")
    await srv.log_line("session start #1")
    leaver = await Player().open(srv.port, username="leaver")
    await srv.log_line("session waits #2")
    await leaver.close()
    await srv.log_line("disconnect #2")
    # The stuck player still holds the only place; once it leaves, the next one starts.
    after = await Player().open(srv.port, username="after")
    try:
        await srv.log_line("session waits #3")
        await stuck.close()
        await after.wait_for("FIXTURE READY")
        assert not any("session start #2" in line for line in srv.log)
    finally:
        await asyncio.gather(stuck.close(), after.close())


async def test_a_start_that_gets_no_cpu_gives_way_before_its_deadline(start_server):
    """A start that is not using the CPU (the app waits, or other work has the cores)
    lets the next one start: the queue never holds players back from idle cores."""
    srv = start_server(start_limit=1, start_deadline=60.0)
    stuck = await Player().open(srv.port, username="stuck")
    await srv.log_line("session start #1")
    late = await Player().open(srv.port, username="late")
    try:
        await late.wait_for("FIXTURE READY")
        assert not any("session slow" in line for line in srv.log)
        assert stuck.process.exit_status is None
    finally:
        await asyncio.gather(stuck.close(), late.close())
