"""`letter-tui serve`: prepare the model and host key, then serve until stopped.

Its entry is `run_serve(ServeOptions)`: the CLI reads the command line, the server never
sees argparse."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from letter_tui.core import model_io
from letter_tui.core.alphabet import Alphabet, is_path_like, resolve_alphabet
from letter_tui.core.errors import LetterTuiError, UsageError
from letter_tui.core.paths import data_dir
from letter_tui.server.config import Player, ServeConfig, ServeOptions, quiz_command
from letter_tui.server.hostkey import default_host_key_path, load_or_create_host_key
from letter_tui.server.server import LOG, Hub


def ensure_model(root: Path, alphabet: Alphabet, out: TextIO) -> Path:
    """The saved model for `alphabet`, trained with the default settings if there is none.
    A model that exists but does not fit stays an error: it is the teacher's to replace."""
    path = model_io.model_path(root, alphabet.name)
    if path.exists():
        model_io.load_for(root, alphabet)
        return path
    from letter_tui.core.training import TrainingRun, default_settings
    from letter_tui.services.workspace import train_and_save

    settings = default_settings(alphabet)
    print(
        f"No model for alphabet '{alphabet.name}' yet: training one ({settings.epochs} epochs)...",
        file=out,
        flush=True,
    )
    saved = train_and_save(TrainingRun(alphabet, settings), path).saved
    if saved is not None and saved.note:
        print(f"Note: {saved.note}", file=out, flush=True)
    print(f"Model saved to {path}", file=out, flush=True)
    return path


def build_config(
    options: ServeOptions,
    command: Callable[[Player], Sequence[str]] | None = None,
    out: TextIO = sys.stdout,
) -> ServeConfig:
    """The server's whole configuration from what `serve` was asked for: the alphabet found,
    its model trained if there is none (saying so on `out`), the files checked."""
    root = data_dir(options.data_dir).resolve()
    spec = options.alphabet or "abc"
    alphabet, path = resolve_alphabet(spec, root)
    ensure_model(root, alphabet, out)
    # A file given by path must mean the same file to the player's process.
    child_alphabet = str(Path(path).resolve()) if is_path_like(spec) else alphabet.name
    keys = options.authorized_keys
    if keys is not None and not Path(keys).is_file():
        raise UsageError(f"--authorized-keys {keys}: no such file")
    start, rate, full = options.max_startups
    burst, per_minute = options.per_source_rate
    return ServeConfig(
        host=options.host,
        port=options.port,
        data_dir=root,
        host_key=Path(options.host_key) if options.host_key else default_host_key_path(root),
        command=command or quiz_command(child_alphabet, root, options.rounds, options.level),
        authorized_keys=Path(keys) if keys else None,
        max_sessions=options.max_sessions,
        idle_timeout=options.idle_timeout,
        login_timeout=options.login_timeout,
        max_session=options.max_session,
        startups_start=start,
        startups_rate=rate,
        startups_full=full,
        per_source_startups=options.per_source_max_startups,
        rate_burst=burst,
        rate_per_minute=float(per_minute),
        start_limit=options.start_limit,
    )


async def serve(config: ServeConfig, out: TextIO = sys.stdout) -> int:
    """Serve until SIGTERM or SIGINT, then end every session cleanly."""
    key, created = load_or_create_host_key(config.host_key)
    hub = Hub(config, key)
    # Handlers first: a stop signal that comes right after the banner still ends cleanly.
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        port = await hub.start()
    except OSError as error:
        raise LetterTuiError(
            f"cannot listen on {config.host}:{config.port}: "
            f"{str(error).rsplit(': ', 1)[-1]}; choose another --port or --host"
        ) from None
    made = "created" if created else "loaded"
    print(f"Host key {config.host_key} ({made}): {key.get_fingerprint('sha256')}", file=out)
    print(f"Listening on {config.host}:{port}; players connect with", file=out)
    print(f"  ssh -p {port} NAME@{_shown_host(config.host)}", file=out)
    print(
        f"At most {config.max_sessions} players; ctrl+c or SIGTERM stops the server.",
        file=out,
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        count = len(hub.sessions)
        # The players come first: a closed stdout (a pipe whose reader left on the same
        # ctrl+c) must not stop their terminals from being restored.
        _say(f"Stopping: ending {count} session{'s' * (count != 1)}...", out)
        await hub.stop()
        _say("Stopped.", out)
    return 0


def _say(line: str, out: TextIO) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(line, file=out, flush=True)


def _shown_host(host: str) -> str:
    return "HOST" if host in ("0.0.0.0", "::", "") else host


def run_serve(
    options: ServeOptions, command: Callable[[Player], Sequence[str]] | None = None
) -> int:
    """`letter-tui serve` with `options`: log to stderr, serve until stopped."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%dT%H:%M:%S"))
    LOG.addHandler(handler)
    LOG.setLevel(logging.INFO)
    LOG.propagate = False
    # Whatever the teacher's umask: the scores, models and keys the server and its players
    # create under the data dir are the owner's alone (0600 files, 0700 folders).
    umask = os.umask(0o077)
    try:
        config = build_config(options, command)
        return asyncio.run(serve(config))
    finally:
        os.umask(umask)
        with contextlib.suppress(Exception):
            LOG.removeHandler(handler)
