"""How many players `letter-tui serve` holds: connect-to-first-frame with 1 and 30
players, 30 playing at once, memory per session, key-to-screen latency over loopback.

    python benchmarks/serve_bench.py [--players 30] [--app fixture|quiz] [--profile N]

Besides wall-clock times (which grow with the machine's load) it gives CPU times, which
do not: the CPU a player's processes spend until their first frame (read from /proc at
the moment the frame shows), and the server process's own CPU per connection. With
`--profile N` it instead profiles where a forked player's first frame spends its CPU.

Thirty players pressing a key at once are timed twice: to the change on each emulated
screen, and to the arrival of the bytes that write the change while this process draws no
screen (its thirty pyte terminals share the server's cores, which a class's own terminals
do not; see `key_to_text`).

`fixture` (the default until `letter-tui quiz` exists) runs tests/serve_fixture_app.py
with NumPy and the saved model loaded, as the quiz will. The baseline is the same app
started on a local pseudo-terminal without SSH, in this process, so the ratios show what
SSH and the server add.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import asyncssh
import pyte
from ptyprocess import PtyProcess

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serve_support import LISTEN, Player  # noqa: E402

FIXTURE = str(ROOT / "tests" / "serve_fixture_app.py")
FIRST_FRAME_CHARS = 20  # a frame, not a stray escape sequence


def visible(screen: pyte.Screen) -> int:
    return sum(1 for line in screen.display for ch in line if not ch.isspace())


class WatchedPlayer(Player):
    """A client that says when output arrives, so that a waiter reads its screen once per
    arrival. Polling 30 screens every millisecond kept this process busy on a core the
    players needed, and the waits measured the benchmark as much as the server."""

    async def until(self, done: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), deadline - time.monotonic())
            except TimeoutError:
                raise TimeoutError(what) from None

    def hold_drawing(self) -> None:
        """Keep the output without drawing it (see `key_to_text`) until `draw_held`."""
        self._held: list[bytes] = []
        self._drawn, self.stream = self.stream, _Holder(self._held)

    def draw_held(self) -> None:
        self.stream = self._drawn
        for data in self._held:
            self.stream.feed(data)


class _Holder:
    def __init__(self, into: list[bytes]) -> None:
        self.feed = into.append


async def first_frame(p: WatchedPlayer, timeout: float = 60.0) -> None:
    await p.until(lambda: visible(p.screen) >= FIRST_FRAME_CHARS, timeout, "no first frame")


async def connect_to_frame(
    port: int, name: str, log: list[str] | None = None
) -> tuple[Player, float, float]:
    """The player, seconds from connect to first frame, and the CPU seconds its process
    tree had used by then (nan when the server's log did not name its pid)."""
    start = time.perf_counter()
    p = await WatchedPlayer().open(port, username=name)
    await first_frame(p)
    seconds = time.perf_counter() - start
    cpu = float("nan")
    if log is not None and (pid := await player_pid(log, name)):
        cpu = tree_cpu_seconds(pid)
    return p, seconds, cpu


async def player_pid(log: list[str], name: str, timeout: float = 5.0) -> int | None:
    """The pid of `name`'s game, from the server's "session start" line (read by a thread,
    so it may arrive a moment after the frame)."""
    wanted = re.compile(rf"session start .* name={re.escape(repr(name))} .* pid=(\d+)")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in reversed(log):
            if m := wanted.search(line):
                return int(m.group(1))
        await asyncio.sleep(0.005)
    return None


async def key_to_screen(p: WatchedPlayer, key: bytes, timeout: float = 10.0) -> float:
    before = p.text()
    start = time.perf_counter()
    p.send(key)
    await p.until(lambda: p.text() != before, timeout, "the key changed nothing on screen")
    return time.perf_counter() - start


async def key_to_text(p: WatchedPlayer, key: bytes, text: bytes, timeout: float = 10.0) -> float:
    """Seconds from sending `key` until the bytes that write `text` on the screen arrive.

    For a crowd: drawing thirty terminals with pyte, in this one process on the same two
    cores as the server, cost about as much CPU as the players themselves (0.1-0.15 s per
    round of keys), which a class's own terminals on their own machines do not. The players
    hold their drawing meanwhile (`hold_drawing`); what they show is checked afterwards."""
    start = len(p.raw)
    began = time.perf_counter()
    p.send(key)
    await p.until(lambda: text in p.raw[start:], timeout, f"{text!r} never arrived")
    return time.perf_counter() - began


def baseline_first_frame(argv: list[str], runs: int) -> list[float]:
    """The same app on a local pty, no SSH: what starting Python, NumPy and Textual costs."""
    times = []
    for _ in range(runs):
        screen = pyte.Screen(80, 24)
        stream = pyte.ByteStream(screen)
        start = time.perf_counter()
        proc = PtyProcess.spawn(argv, env={"TERM": "xterm-256color"}, dimensions=(24, 80))
        while visible(screen) < FIRST_FRAME_CHARS:
            stream.feed(proc.read(65536))
        times.append(time.perf_counter() - start)
        proc.terminate(force=True)
    return times


def memory(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB of a player's process group, from /proc."""
    rss = pss = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) != pid:
                continue
            text = Path(f"/proc/{entry}/smaps_rollup").read_text()
        except (OSError, ProcessLookupError):
            continue
        rss += int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1)) / 1024
        pss += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1)) / 1024
    return rss, pss


FORK_SERVER = re.compile(r"fork server ready, pid=(\d+)")


def _rss(pid: int) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^VmRSS:\s+(\d+)", text, re.M).group(1)) / 1024


def start_server(
    data_dir: Path, app: str, prefork: bool, players: int = 30, runs: int = 7
) -> tuple[subprocess.Popen, int]:
    serve = ["serve", "--port", "0", "--data-dir", str(data_dir), "--max-sessions", "100"]
    # Every benchmark player comes from 127.0.0.1: room for all of them at once (the
    # per-address limits are for a class behind one address; see the README).
    crowd = players + runs + 10
    serve += ["--per-source-max-startups", str(crowd), "--per-source-rate", f"{crowd}:120"]
    serve += ["--max-startups", f"{crowd + 10}:30:{2 * crowd + 20}"]
    if app == "quiz" and prefork:
        argv = [sys.executable, "-m", "letter_tui", *serve]
    else:
        extra = {"fixture_args": ["--load-model", str(data_dir)], "prefork": prefork}
        extra["rate_burst"] = 1000  # every benchmark player comes from 127.0.0.1
        if app == "quiz":  # the real quiz, exec'd: only the tests' helper can ask for that
            extra = {"quiz": True, "prefork": False}
        argv = [sys.executable, str(ROOT / "tests" / "serve_fixture_server.py"), json.dumps(extra)]
        argv += serve
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in proc.stdout:
        if m := LISTEN.search(line):
            return proc, int(m.group(1))
    raise RuntimeError(proc.stderr.read())


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, its reaped children and its live descendants.
    A forked player counts only what it used after the fork, not the fork server's imports."""
    total, todo, seen = 0, [pid], set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            fields = _stat(current)
            total += sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text()
                todo.extend(int(child) for child in children.split())
        except OSError:
            continue
    return total / os.sysconf("SC_CLK_TCK")


def session_pids(log_lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in log_lines if (m := re.search(r"pid=(\d+)", line))]


async def bench(
    port: int, players: int, runs: int, server_pid: int, log: list[str], expected: bytes
) -> dict[str, object]:
    """`expected`: what the app writes when a player presses "j" after "k"."""
    one, one_cpu = [], []
    server_before = cpu_seconds(server_pid)
    for i in range(runs):
        p, seconds, cpu = await connect_to_frame(port, f"solo{i}", log)
        one.append(seconds)
        one_cpu.append(cpu)
        if i == 0:
            await asyncio.sleep(0.5)  # let the app settle before timing keys
            latencies = [await key_to_screen(p, b"xyz"[k % 3 : k % 3 + 1]) for k in range(50)]
        await p.close()
    # The server's own CPU per connection, solo: handshake, session start, relaying the
    # frame (and, for the first player, the 50 keys).
    server_solo = (cpu_seconds(server_pid) - server_before) / runs
    # Where the CPU of the crowd's start goes, on a machine shared by server and clients.
    own, server = time.process_time(), cpu_seconds(server_pid)
    results = await asyncio.gather(*(connect_to_frame(port, f"p{i}", log) for i in range(players)))
    cpu = {
        "benchmark's own SSH clients and screens": time.process_time() - own,
        "server (SSH)": cpu_seconds(server_pid) - server,
        "players": sum(map(cpu_seconds, session_pids(log)[-players:])),
    }
    crowd = [seconds for _, seconds, _ in results]
    crowd_cpu = [cpu for _, _, cpu in results]
    everyone = [p for p, _, _ in results]
    await asyncio.sleep(1.0)
    # Each of them can play: a key shows on their own screen.
    played = await asyncio.gather(*(key_to_screen(p, b"k") for p in everyone))
    # Again, without this process drawing thirty screens on the server's cores meanwhile.
    await asyncio.sleep(0.5)
    for p in everyone:
        p.hold_drawing()
    own = time.process_time()
    played_text = await asyncio.gather(*(key_to_text(p, b"j", expected) for p in everyone))
    own = time.process_time() - own
    for p in everyone:
        p.draw_held()
    drawn = sum(1 for p in everyone if expected.decode() in p.text())
    return {
        "one": one,
        "one_cpu": one_cpu,
        "crowd": crowd,
        "crowd_cpu": crowd_cpu,
        "server_solo": server_solo,
        "server_crowd": cpu["server (SSH)"] / players,
        "latency": latencies,
        "played": played,
        "played_text": played_text,
        "played_text_drawn": drawn,
        "played_text_cpu": own,
        "cpu": cpu,
        "players": everyone,
    }


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def ms_range(values: list[float]) -> str:
    known = [v for v in values if v == v]  # nan: the pid was not found
    if not known:
        return "unknown"
    low, mid, high = min(known), statistics.median(known), max(known)
    return f"median {mid * 1000:.0f} ms (range {low * 1000:.0f}-{high * 1000:.0f} ms)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--app", choices=("fixture", "quiz"), default="fixture")
    parser.add_argument(
        "--exec", action="store_true", help="exec each player instead of forking (the fallback)"
    )
    parser.add_argument(
        "--profile",
        type=int,
        metavar="N",
        default=0,
        help="profile a forked player's first frame N times and print the top costs",
    )
    args = parser.parse_args()
    if args.profile:
        profile_first_frame(args.profile)
        return
    load_before = os.getloadavg()
    data_dir = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    server, port = start_server(data_dir, args.app, not args.exec, args.players, args.runs)
    log: list[str] = []

    import threading

    threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()
    try:
        if args.app == "quiz":
            child = [sys.executable, "-m", "letter_tui", "quiz", "--remote", "--name=x"]
            child += ["--data-dir", str(data_dir), "--rounds", "3"]
        else:
            child = [sys.executable, FIXTURE, "--load-model", str(data_dir)]
        base = baseline_first_frame(child, args.runs)

        async def run() -> dict[str, object]:
            # The fork server's start-up CPU (its imports), before any player is forked.
            deadline = time.monotonic() + 10
            while not any(map(FORK_SERVER.search, log)) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            forks = [int(m.group(1)) for m in map(FORK_SERVER.search, log) if m]
            fork_cpu = cpu_seconds(forks[0]) if forks else 0.0
            # The quiz's hint for a key that names no letter; the fixture echoes the keys.
            expected = b"'j' is no letter here" if args.app == "quiz" else b"kj"
            result = await bench(port, args.players, args.runs, server.pid, log, expected)
            result["fork_cpu"] = fork_cpu
            time.sleep(0.2)
            pids = session_pids(log)[-args.players :]
            result["memory"] = [memory(pid) for pid in pids]
            result["server"] = _rss(server.pid)
            forks = [int(m.group(1)) for m in map(FORK_SERVER.search, log) if m]
            result["fork_server"] = _rss(forks[0]) if forks else 0.0
            for p in result["players"]:
                await p.close()
            return result

        r = asyncio.run(run())
    finally:
        server.terminate()
        server.wait(10)
    load_after = os.getloadavg()
    cpus = len(os.sched_getaffinity(0))  # taskset -c 0 measures one core
    how = "exec per player" if args.exec else "forked from the fork server"
    print(f"letter-tui serve, app={args.app}, {how}, {cpus} CPUs, asyncssh {asyncssh.__version__}")
    loads = " / ".join(" ".join(f"{x:.2f}" for x in load) for load in (load_before, load_after))
    print(f"load average (1, 5, 15 min) before / after: {loads}")
    print(f"baseline: first frame on a local pty, no SSH ({args.runs} runs): {ms(base)}")
    one, crowd = r["one"], r["crowd"]
    ratio = statistics.median(one) / statistics.median(base)
    print(f"1 player: connect to first frame ({args.runs} runs): {ms(one)}; {ratio:.2f}x baseline")
    ratio = statistics.median(crowd) / statistics.median(base)
    print(
        f"{args.players} players connecting at once: connect to first frame {ms(crowd)}; "
        f"{ratio:.2f}x baseline"
    )
    tenths = statistics.quantiles(crowd, n=10)
    spread = (min(crowd), tenths[0], tenths[4], tenths[8], max(crowd))
    print(
        "  their first frames, fastest / 10% / median / 90% / slowest: "
        + " / ".join(f"{t * 1000:.0f}" for t in spread)
        + " ms"
    )
    cpu = ", ".join(f"{who} {seconds:.1f} s" for who, seconds in r["cpu"].items())
    print(f"  CPU used until the last of them had a frame: {cpu}")
    print(f"player CPU to first frame (own process tree), 1 player: {ms_range(r['one_cpu'])}")
    print(f"player CPU to first frame, {args.players} at once: {ms_range(r['crowd_cpu'])}")
    print(
        f"server process's own CPU per connection: {r['server_solo'] * 1000:.0f} ms solo "
        f"(incl. the first player's 50 keys), {r['server_crowd'] * 1000:.0f} ms "
        f"with {args.players} at once; fork server's imports, once: {r['fork_cpu']:.2f} s CPU"
    )
    print(
        f"{len(r['played'])}/{args.players} played a key at once: key to screen {ms(r['played'])}"
    )
    print(
        f"  again ('j'), the update's text arriving while this process draws none of the "
        f"screens: {ms(r['played_text'])}; its own CPU meanwhile "
        f"{r['played_text_cpu'] * 1000:.0f} ms; drawn afterwards, {r['played_text_drawn']}/"
        f"{len(r['played_text'])} screens show it"
    )
    print(f"key to screen, 1 player, 50 keys over loopback: {ms(r['latency'])}")
    rss = [m[0] for m in r["memory"]]
    pss = [m[1] for m in r["memory"]]
    print(
        f"memory per session ({len(rss)} sessions): RSS median {statistics.median(rss):.1f} MB, "
        f"PSS (shared pages split) median {statistics.median(pss):.1f} MB, "
        f"total PSS {sum(pss):.0f} MB"
    )
    print(
        f"server process RSS {r['server']:.0f} MB, fork server RSS {r['fork_server']:.0f} MB "
        f"(shared with the players it forked)"
    )
    counts = [line.strip() for line in log if "stopped; counts" in line]
    print(f"server's own counts: {counts[-1].split('counts: ', 1)[1] if counts else 'unknown'}")


# Run on a pty by --profile: the fork server's preload and warm-up, then the quiz as a
# forked player runs it, under cProfile until the parent sees a first frame and sends SIGUSR1.
PROFILED_PLAYER = """
import cProfile, gc, os, runpy, signal, sys
from letter_tui.server import forkserver
forkserver.preload()
problem = forkserver.warm([sys.executable, "-m", "letter_tui", *sys.argv[2:]])
assert problem is None, problem
gc.collect()
gc.freeze()
out = sys.argv[1]
sys.argv = ["letter_tui", *sys.argv[2:]]
profile = cProfile.Profile()
def stop(*_):
    profile.disable()
    profile.dump_stats(out)
    os._exit(0)
signal.signal(signal.SIGUSR1, stop)
os.write(1, b"\\x1b[?9999h")  # marks: imports done, profiling starts
profile.enable()
runpy.run_module("letter_tui", run_name="__main__", alter_sys=True)
"""


def profile_first_frame(runs: int) -> None:
    """Where a forked player's first frame spends its CPU: cProfile from after the fork
    server's imports to the first frame, the quiz as `letter-tui serve` starts it."""
    import pstats
    import signal

    data_dir = Path(tempfile.mkdtemp(prefix="serve-bench-profile-"))
    # The model the server would save, so the quiz loads it rather than training.
    subprocess.run(
        [sys.executable, "-m", "letter_tui", "train", "--headless", "--data-dir", str(data_dir)],
        check=False,
        capture_output=True,
    )
    stats: pstats.Stats | None = None
    cpu = []
    for i in range(runs):
        out = str(data_dir / f"profile{i}.prof")
        argv = [sys.executable, "-c", PROFILED_PLAYER, out, "quiz", "--remote", "--name=x"]
        argv += ["--data-dir", str(data_dir), "--rounds", "3"]
        screen = pyte.Screen(80, 24)
        stream = pyte.ByteStream(screen)
        proc = PtyProcess.spawn(
            argv, env={**os.environ, "TERM": "xterm-256color"}, dimensions=(24, 80)
        )
        seen = b""
        while b"\x1b[?9999h" not in seen:
            seen += proc.read(65536)
        start = cpu_seconds(proc.pid)
        stream.feed(seen.split(b"\x1b[?9999h", 1)[1])
        while visible(screen) < FIRST_FRAME_CHARS:
            stream.feed(proc.read(65536))
        cpu.append(cpu_seconds(proc.pid) - start)
        os.kill(proc.pid, signal.SIGUSR1)
        proc.wait()
        stats = pstats.Stats(out) if stats is None else stats.add(out)
    print(f"CPU from end of imports to first frame, under cProfile ({runs} runs): {ms_range(cpu)}")
    assert stats is not None
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
