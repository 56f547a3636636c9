"""The server's rules without a network: names, TERM, sizes, rate limit, host key, CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from letter_tui.core.quiz import clean_name
from letter_tui.server.admission import RateLimiter
from letter_tui.server.config import child_environment, quiz_command, term_for
from letter_tui.server.hostkey import HostKeyError, load_or_create_host_key
from letter_tui.server.player import clamp_size
from tests.serve_support import ServerProcess


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("alice", "alice"),
        ("\x1b[31mred\x07", "[31mred"),
        ("a\u202eb\u200dc", "abc"),
        ("x" * 30, "x" * 20),
        ("  \t ", "player"),
        ("ann\tmarie  b", "ann marie b"),
        ("zoe\u0308", "zo\u00eb"),
        ("-rf", "-rf"),
    ],
)
def test_clean_name(user, name):
    assert clean_name(user) == name


def test_a_name_that_looks_like_an_option_stays_a_value():
    argv = quiz_command("abc", "/d", 3, "easy")(
        type("P", (), {"name": "--help", "term": "xterm", "cols": 80, "rows": 24})()
    )
    assert "--name=--help" in argv and "--remote" in argv


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("xterm-256color", "xterm-256color"),
        ("tmux-256color", "tmux-256color"),
        ("rxvt-unicode", "rxvt-unicode"),
        ("linux", "linux"),
        ("vt100", "vt100"),
        ("dumb", "xterm-256color"),
        ("xterm\x1b]0;x", "xterm-256color"),
        ("", "xterm-256color"),
        (None, "xterm-256color"),
    ],
)
def test_term_policy(term, expected):
    assert term_for(term) == expected


def test_child_environment_is_fixed():
    env = child_environment("xterm")
    assert env["TERM"] == "xterm"
    for name in ("COLUMNS", "LINES", "LD_PRELOAD", "COLORTERM", "SSH_AUTH_SOCK", "DISPLAY"):
        assert name not in env


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((0, 0), (80, 24)),
        ((0, 30), (80, 24)),
        ((100, 30), (100, 30)),
        ((99999, 99999), (1000, 500)),
    ],
)
def test_clamp_size(size, expected):
    assert clamp_size(*size) == expected


def test_rate_limiter_allows_a_burst_then_refills():
    now = [0.0]
    limiter = RateLimiter(burst=3, per_minute=60, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # per address
    now[0] += 1.0
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_host_key_is_created_private_and_reused(tmp_path):
    path = tmp_path / "key"
    old = os.umask(0o022)
    try:
        key, created = load_or_create_host_key(path)
    finally:
        os.umask(old)
    assert created and (path.stat().st_mode & 0o777) == 0o600
    assert key.algorithm == b"ssh-ed25519"
    again, created = load_or_create_host_key(path)
    assert not created and again.get_fingerprint() == key.get_fingerprint()


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_host_key_others_can_read_is_refused(tmp_path, mode):
    path = tmp_path / "key"
    load_or_create_host_key(path)
    path.chmod(mode)
    with pytest.raises(HostKeyError, match="readable by others"):
        load_or_create_host_key(path)


def test_the_server_keeps_its_host_key_across_restarts(tmp_path):
    first = ServerProcess(tmp_path, overrides={"prefork": False}).start()
    assert first.stop() == 0
    second = ServerProcess(tmp_path, overrides={"prefork": False}).start()
    assert second.stop() == 0
    assert first.created and not second.created
    assert first.fingerprint == second.fingerprint
    assert ((tmp_path / "ssh_host_ed25519_key").stat().st_mode & 0o777) == 0o600
    assert (tmp_path / "models" / "abc.npz").exists()  # trained before accepting players


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "letter_tui", "serve", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_serve_refuses_a_readable_host_key_in_one_line(tmp_path):
    key = tmp_path / "key"
    load_or_create_host_key(key)
    key.chmod(0o644)
    result = _serve("--port", "0", "--data-dir", str(tmp_path), "--host-key", str(key))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "readable by others" in lines[0] and "chmod 600" in lines[0]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--port", "70000"], "--port"),
        (["--level", "insane"], "--level"),
        (["--max-sessions", "0"], "--max-sessions"),
        (["--authorized-keys", "/nonexistent/keys"], "--authorized-keys"),
        (["--login-timeout", "0"], "--login-timeout"),
        (["--max-session", "-1"], "--max-session"),
        (["--max-startups", "10:30:5"], "--max-startups"),
        (["--max-startups", "10:101:50"], "--max-startups"),
        (["--per-source-max-startups", "0"], "--per-source-max-startups"),
        (["--per-source-rate", "40"], "--per-source-rate"),
    ],
)
def test_serve_usage_errors_are_one_line_exit_2(tmp_path, args, needle):
    result = _serve("--data-dir", str(tmp_path), *args)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and needle in result.stderr


def test_the_app_and_headless_commands_never_import_the_server():
    code = (
        "import sys, letter_tui.cli as c; c.build_parser(); "
        "import letter_tui.core.training, letter_tui.core.model_io; "
        "print([m for m in sys.modules if m.startswith(('letter_tui.server', 'asyncssh'))])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_admission_checks_the_address_before_the_random_drop():
    from letter_tui.server.admission import EARLY_DROP, FULL, PER_SOURCE, Admission

    always = Admission(2, start=3, rate=100, full=5, burst=100, per_minute=60, chance=lambda: 0)
    assert [always.admit("a") for _ in range(3)] == [None, None, PER_SOURCE]
    # A refused connection is not counted: the total is still 2, below the drop's start.
    assert always.total == 2
    assert always.admit("b") is None
    assert always.admit("c") == EARLY_DROP  # total 3: from here on, at random
    never = Admission(10, start=3, rate=30, full=5, burst=100, per_minute=60, chance=lambda: 1)
    assert [never.admit(x) for x in "abcdef"] == [None] * 5 + [FULL]
    never.release("a")
    assert never.admit("f") is None


def test_admission_drop_rises_from_rate_to_all():
    from letter_tui.server.admission import Admission

    a = Admission(100, start=60, rate=30, full=120, burst=1000, per_minute=60)
    for total, p in [(59, 0.0), (60, 0.3), (90, 0.65), (120, 1.0)]:
        a.total = total
        assert a.drop_probability() == pytest.approx(p)


def test_a_class_at_once_then_one_a_second_is_never_refused():
    from letter_tui.server.admission import Admission
    from letter_tui.server.config import ServeConfig

    c = ServeConfig("127.0.0.1", 0, Path("."), Path("k"), command=lambda p: [])
    now = [0.0]
    a = Admission(
        c.per_source_startups,
        c.startups_start,
        c.startups_rate,
        c.startups_full,
        c.rate_burst,
        c.rate_per_minute,
        chance=lambda: 0.0,
        clock=lambda: now[0],
    )
    assert all(a.admit("10.0.0.1") is None for _ in range(40))
    for _ in range(40):
        a.release("10.0.0.1")  # they started playing
    for _ in range(600):
        now[0] += 1.0
        assert a.admit("10.0.0.1") is None
        a.release("10.0.0.1")


def _fork_server_answer(warm_up: list[str]) -> dict:
    """What a fork server given `warm_up` says once it is ready to fork (then it is told
    to stop by closing its socket)."""
    import json
    import socket

    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    argv = [sys.executable, "-m", "letter_tui.server.forkserver", str(theirs.fileno())]
    proc = subprocess.Popen(
        [*argv, json.dumps(warm_up)], pass_fds=[theirs.fileno()], cwd="/", stdout=subprocess.PIPE
    )
    theirs.close()
    try:
        ours.settimeout(120)
        answer = json.loads(ours.recv(65536))
    finally:
        ours.close()
        assert proc.wait(30) == 0
    return answer


def _quiz(data_dir: Path, *extra: str) -> list[str]:
    player = quiz_command("abc", data_dir, 3, "easy")
    from letter_tui.server.config import Player

    return [*player(Player("warm-up", "xterm-256color", 80, 24)), *extra]


def test_the_fork_server_runs_the_quiz_once_before_forking(tmp_path):
    answer = _fork_server_answer(_quiz(tmp_path))
    assert answer == {"ready": True, "warning": None}
    # A remote quiz writes nothing, not even while warming up.
    assert not any(tmp_path.iterdir())


def test_a_failed_warm_up_is_reported_and_the_fork_server_still_forks(tmp_path):
    answer = _fork_server_answer(_quiz(tmp_path, "--alphabet", str(tmp_path / "missing.txt")))
    assert answer["ready"] is True
    assert answer["warning"].startswith("warm-up failed:")


def test_start_queue_lets_the_limit_start_in_order_and_never_loses_a_turn():
    import asyncio

    from letter_tui.server.admission import StartQueue

    async def scenario() -> None:
        queue = StartQueue(2)
        order: list[int] = []

        async def player(i: int) -> None:
            await queue.enter()
            order.append(i)

        tasks = [asyncio.ensure_future(player(i)) for i in range(6)]
        await asyncio.sleep(0)  # each task reaches its place in the queue
        assert (queue.starting, queue.waiting, order) == (2, 4, [0, 1])
        tasks[2].cancel()  # a player leaves while waiting: its place goes, not the turn
        queue.leave()
        await asyncio.sleep(0)
        assert (queue.starting, queue.waiting, order) == (2, 2, [0, 1, 3])
        queue.leave()
        queue.leave()
        await asyncio.gather(*tasks[3:])
        assert order == [0, 1, 3, 4, 5] and queue.starting == 2 and queue.most == 2
        queue.leave()
        queue.leave()
        assert queue.starting == 0 and queue.waited == 4

    asyncio.run(scenario())
