"""Runs `letter-tui serve` exactly as the command line does, with the fixture app as the
player's program (the one parameter that differs) and optional hidden limits for tests:

    python tests/serve_fixture_server.py '{"login_timeout": 2}' serve --port 0 ...

"fixture_args" in the JSON are appended to the fixture's command line; "quiz": true keeps
the real quiz as the player's program (to benchmark it with other hidden settings);
"module_args": [MODULE, ...] makes it `python -m MODULE ...`.

The CLI hands the server a ServeOptions; `build_config` turns it into the ServeConfig that
the overrides (any of its fields) then replace.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

from letter_tui import cli
from letter_tui.server import main as server_main
from letter_tui.server.config import Player, ServeConfig, ServeOptions

FIXTURE = str(Path(__file__).with_name("serve_fixture_app.py"))


def fixture_command(player: Player, extra: tuple[str, ...] = ()) -> list[str]:
    return [sys.executable, FIXTURE, f"--name={player.name}", "--rounds", "3", *extra]


def run(argv: list[str]) -> int:
    overrides = json.loads(argv[0])
    extra = tuple(overrides.pop("fixture_args", ()))
    fixture = not overrides.pop("quiz", False)
    module = overrides.pop("module_args", None)
    build = server_main.build_config

    def build_with_overrides(options: ServeOptions, command=None, out=sys.stdout) -> ServeConfig:
        command = (lambda player: fixture_command(player, extra)) if fixture else None
        if module:
            command = lambda player: [sys.executable, "-m", *module]  # noqa: E731
        config = build(options, command, out)
        return dataclasses.replace(config, **overrides)

    server_main.build_config = build_with_overrides
    return cli.main(argv[1:])


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
