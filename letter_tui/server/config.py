"""What the server needs to know, and the fixed rules for a player's process."""

from __future__ import annotations

import os
import pwd
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from letter_tui.core.names import PlayerName
from letter_tui.services.launch_options import LaunchOptions, QuizOptions, player_argv
from letter_tui.services.settings import DEFAULT_LEVEL, DEFAULT_ROUNDS

DEFAULT_TERM = "xterm-256color"
# Families of terminals every modern client emulates closely enough for Textual; anything
# else (or anything odd) falls back to xterm-256color rather than reaching the app.
TERM_FAMILIES = re.compile(r"(xterm|screen|tmux|rxvt)[A-Za-z0-9._+-]{0,40}|linux|vt100")


def term_for(client_term: str | None) -> str:
    if client_term and TERM_FAMILIES.fullmatch(client_term):
        return client_term
    return DEFAULT_TERM


@dataclass(frozen=True)
class Player:
    """What the server knows about one player when it starts their process."""

    name: PlayerName  # the login name, cleaned by the session where it came in
    term: str
    cols: int
    rows: int


def child_environment(term: str) -> dict[str, str]:
    """The whole environment of a player's process: nothing from the client but TERM.

    No COLUMNS/LINES (Textual would prefer them to the terminal's real size and ignore
    resizes). No COLORTERM: OpenSSH does not forward it, so the policy is 256 colours,
    which every terminal in use renders. One BLAS thread per player: 2 cores, 30 players.
    """
    try:
        home = pwd.getpwuid(os.getuid()).pw_dir
    except KeyError:
        home = "/"
    return {
        "TERM": term,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "PYTHONIOENCODING": "utf-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        # No working directory on sys.path: nothing in the data dir is ever imported.
        "PYTHONSAFEPATH": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }


def quiz_command(
    alphabet: str, data_dir: Path, rounds: int, level: str
) -> Callable[[Player], list[str]]:
    """The contract with the app: the remote quiz for one player, written by
    `player_argv` beside the parser that reads it back (services.launch_options)."""
    game = LaunchOptions(
        mode="quiz",
        alphabet=alphabet,
        data_dir=str(data_dir),
        remote=True,
        quiz=QuizOptions(rounds=rounds, level=level),
    )

    def command(player: Player) -> list[str]:
        # player.name is the login name cleaned once, by the session that made the Player.
        return player_argv(replace(game, player_name=player.name))

    return command


@dataclass(frozen=True)
class Limits:
    """Per-session resource limits, applied by the launcher before the app starts."""

    memory_mb: int = 1024  # address space; NumPy + Textual map ~400 MB, use ~50 MB
    open_files: int = 256
    cpu_seconds: int = 0  # 0: no limit; the idle time-out bounds a session already
    # Players run below the server's priority, so that it keeps accepting, refusing and
    # relaying keys while a whole class keeps both cores busy.
    nice: int = 10


@dataclass(frozen=True)
class ServeOptions:
    """What `letter-tui serve` was asked for, as its command line gave it (the CLI builds one
    from its arguments; the server never sees argparse). `main.build_config` turns it into a
    ServeConfig: it finds the alphabet, trains a model if there is none, checks the files.

    The defaults are the command's (tests/test_serve_options.py holds the two together)."""

    alphabet: str = "abc"  # a bundled name, your own alphabet's name, or a path
    # Paths as typed: a usage error quotes them as the teacher wrote them.
    data_dir: str | None = None  # None: $LETTER_TUI_DATA_DIR or the platform's folder
    host_key: str | None = None  # None: DATA_DIR/ssh_host_ed25519_key
    authorized_keys: str | None = None  # None: anyone may play
    host: str = "127.0.0.1"
    port: int = 2222
    rounds: int = DEFAULT_ROUNDS
    level: str = DEFAULT_LEVEL
    max_sessions: int = 50
    idle_timeout: float = 600.0
    login_timeout: float = 30.0
    max_session: float = 3600.0
    max_startups: tuple[int, int, int] = (60, 30, 120)  # START:RATE:FULL
    per_source_max_startups: int = 50
    per_source_rate: tuple[int, int] = (60, 120)  # BURST:PER_MINUTE
    start_limit: int = 0  # players starting at once; 0: one per core


@dataclass(frozen=True)
class ServeConfig:
    host: str
    port: int
    data_dir: Path
    host_key: Path
    command: Callable[[Player], Sequence[str]]
    authorized_keys: Path | None = None
    max_sessions: int = 50
    idle_timeout: float = 600.0
    # From accepting a connection to a started game (pty + shell granted), whatever the
    # connection does meanwhile (sshd's LoginGraceTime plus wish's activeterm).
    login_timeout: float = 30.0
    # From accepting a connection to the end of its key exchange: a silent socket holds a
    # start-up place for this long at most.
    kex_timeout: float = 10.0
    max_session: float = 3600.0  # 0: no limit
    # Connections not yet playing, as sshd's MaxStartups start:rate:full: from `start` on,
    # `rate` percent of new ones are dropped at random, rising to all of them at `full`.
    # `start` is above the per-address limit, so one address alone can never make the
    # server drop another address's connections.
    startups_start: int = 60
    startups_rate: int = 30
    startups_full: int = 120
    # Connections not yet playing from one address (sshd's PerSourceMaxStartups); a class
    # behind one NAT address is ~40 players connecting at once.
    per_source_startups: int = 50
    # New connections per address: a burst, then a steady rate (wish's ratelimiter).
    rate_burst: int = 60
    rate_per_minute: float = 120.0
    # A client that stops answering is dropped after (count_max + 1) * interval = 50 s.
    keepalive_interval: float = 10.0
    keepalive_count_max: int = 4
    # At most one window size a tenth of a second reaches a player's app; the last wins.
    resize_interval: float = 0.1
    kill_grace: float = 0.4
    # A stop signal gives every player their terminal back within this many seconds.
    stop_timeout: float = 5.0
    limits: Limits = field(default_factory=Limits)
    # Players' processes starting at once (forked, first frame not yet out); the others
    # wait their turn in order. 0: as many as the machine has cores. A start holds its
    # place until its first frame or for `start_deadline` seconds at most, and gives it
    # up early while it gets less than `start_min_cpu` of a core (0: never): then the
    # cores are busy with other work, and holding players back would only leave it more.
    start_limit: int = 0
    start_deadline: float = 1.5
    start_min_cpu: float = 0.25
    cwd: Path | None = None
    # Fork players from a process that has imported NumPy and Textual once (fast start,
    # shared memory); False: exec each one afresh.
    prefork: bool = True
    # A fork server that dies is restarted after this many seconds (doubling while it
    # keeps dying, up to a minute); players are exec'd meanwhile.
    fork_restart_delay: float = 1.0
