"""How many players `letter-tui serve` holds: connect-to-first-frame with 1 and 30
players, 30 playing at once, memory per session, key-to-screen latency over loopback.

    python benchmarks/serve_bench.py [--players 30] [--app fixture|quiz]

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


async def first_frame(p: Player, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while visible(p.screen) < FIRST_FRAME_CHARS:
        if time.monotonic() > deadline:
            raise TimeoutError("no first frame")
        await asyncio.sleep(0.005)


async def connect_to_frame(port: int, name: str) -> tuple[Player, float]:
    start = time.perf_counter()
    p = await Player().open(port, username=name)
    await first_frame(p)
    return p, time.perf_counter() - start


async def key_to_screen(p: Player, key: bytes, timeout: float = 10.0) -> float:
    before = p.text()
    start = time.perf_counter()
    p.send(key)
    deadline = time.monotonic() + timeout
    while p.text() == before:
        if time.monotonic() > deadline:
            raise TimeoutError("the key changed nothing on screen")
        await asyncio.sleep(0.001)
    return time.perf_counter() - start


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


def start_server(data_dir: Path, app: str, prefork: bool) -> tuple[subprocess.Popen, int]:
    serve = ["serve", "--port", "0", "--data-dir", str(data_dir), "--max-sessions", "100"]
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


def session_pids(log_lines: list[str]) -> list[int]:
    return [int(m.group(1)) for line in log_lines if (m := re.search(r"pid=(\d+)", line))]


async def bench(
    port: int, players: int, runs: int, server_pid: int, log: list[str]
) -> dict[str, object]:
    one = []
    for i in range(runs):
        p, seconds = await connect_to_frame(port, f"solo{i}")
        one.append(seconds)
        if i == 0:
            await asyncio.sleep(0.5)  # let the app settle before timing keys
            latencies = [await key_to_screen(p, b"xyz"[k % 3 : k % 3 + 1]) for k in range(50)]
        await p.close()
    # Where the CPU of the crowd's start goes, on a machine shared by server and clients.
    own, server = time.process_time(), cpu_seconds(server_pid)
    results = await asyncio.gather(*(connect_to_frame(port, f"p{i}") for i in range(players)))
    cpu = {
        "benchmark's own SSH clients and screens": time.process_time() - own,
        "server (SSH)": cpu_seconds(server_pid) - server,
        "players": sum(map(cpu_seconds, session_pids(log)[-players:])),
    }
    crowd = [seconds for _, seconds in results]
    everyone = [p for p, _ in results]
    await asyncio.sleep(1.0)
    # Each of them can play: a key shows on their own screen.
    played = await asyncio.gather(*(key_to_screen(p, b"k") for p in everyone))
    return {
        "one": one,
        "crowd": crowd,
        "latency": latencies,
        "played": played,
        "cpu": cpu,
        "players": everyone,
    }


def ms(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--players", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--app", choices=("fixture", "quiz"), default="fixture")
    parser.add_argument(
        "--exec", action="store_true", help="exec each player instead of forking (the fallback)"
    )
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    server, port = start_server(data_dir, args.app, prefork=not args.exec)
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
            result = await bench(port, args.players, args.runs, server.pid, log)
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
    cpus = len(os.sched_getaffinity(0))  # taskset -c 0 measures one core
    how = "exec per player" if args.exec else "forked from the fork server"
    print(f"letter-tui serve, app={args.app}, {how}, {cpus} CPUs, asyncssh {asyncssh.__version__}")
    print(f"baseline: first frame on a local pty, no SSH ({args.runs} runs): {ms(base)}")
    one, crowd = r["one"], r["crowd"]
    ratio = statistics.median(one) / statistics.median(base)
    print(f"1 player: connect to first frame ({args.runs} runs): {ms(one)}; {ratio:.2f}x baseline")
    ratio = statistics.median(crowd) / statistics.median(base)
    print(
        f"{args.players} players connecting at once: connect to first frame {ms(crowd)}; "
        f"{ratio:.2f}x baseline"
    )
    cpu = ", ".join(f"{who} {seconds:.1f} s" for who, seconds in r["cpu"].items())
    print(f"  CPU used until the last of them had a frame: {cpu}")
    print(
        f"{len(r['played'])}/{args.players} played a key at once: key to screen {ms(r['played'])}"
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


if __name__ == "__main__":
    main()
