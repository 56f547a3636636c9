"""`letter-tui serve`'s entry: the CLI reads the command line into a frozen ServeOptions, and
the server builds its ServeConfig from that alone (it never sees argparse)."""

from __future__ import annotations

import ast
import dataclasses
import io
from pathlib import Path

import pytest

from letter_tui.cli import build_parser
from letter_tui.cli.commands import serve_options
from letter_tui.core import model_io
from letter_tui.core.errors import UsageError
from letter_tui.core.names import clean_name
from letter_tui.server import main as server_main
from letter_tui.server.config import Player, ServeOptions
from tests.conftest import trained_model

SERVER = Path(__file__).resolve().parent.parent / "letter_tui" / "server"


def parsed(*argv: str) -> ServeOptions:
    return serve_options(build_parser().parse_args(list(argv)))


def test_the_defaults_are_the_commands() -> None:
    assert parsed("serve") == ServeOptions()


def test_every_option_reaches_the_server() -> None:
    options = parsed(
        "--data-dir", "~/class", "--alphabet", "az", "serve",
        "--host", "0.0.0.0", "--port", "0", "--rounds", "3", "--level", "hard",
        "--max-sessions", "7", "--idle-timeout", "0", "--login-timeout", "5",
        "--max-session", "60", "--max-startups", "4", "--per-source-max-startups", "2",
        "--per-source-rate", "5:30", "--host-key", "k", "--authorized-keys", "./keys",
        "--start-limit", "3",
    )  # fmt: skip
    assert options == ServeOptions(
        alphabet="az",
        data_dir="~/class",
        host_key="k",
        authorized_keys="./keys",
        host="0.0.0.0",
        port=0,
        rounds=3,
        level="hard",
        max_sessions=7,
        idle_timeout=0.0,
        login_timeout=5.0,
        max_session=60.0,
        max_startups=(4, 100, 4),
        per_source_max_startups=2,
        per_source_rate=(5, 30),
        start_limit=3,
    )
    # After the command, --data-dir and --alphabet mean the same.
    assert parsed("serve", "--data-dir", "~/class", "--alphabet", "az").data_dir == "~/class"
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.port = 1  # type: ignore[misc]


def test_the_config_is_built_from_the_options_alone(tmp_path: Path) -> None:
    model_io.save_model(trained_model("abc"), model_io.model_path(tmp_path, "abc"))
    keys = tmp_path / "keys"
    keys.write_text("")
    options = ServeOptions(
        data_dir=str(tmp_path),
        authorized_keys=str(keys),
        port=0,
        rounds=3,
        level="easy",
        max_sessions=7,
        idle_timeout=9.0,
        max_startups=(4, 50, 8),
        per_source_rate=(5, 30),
        start_limit=3,
    )
    config = server_main.build_config(options, out=io.StringIO())
    assert (config.port, config.data_dir, config.authorized_keys) == (0, tmp_path, keys)
    assert config.host_key == tmp_path / "ssh_host_ed25519_key"
    assert (config.max_sessions, config.idle_timeout, config.login_timeout) == (7, 9.0, 30.0)
    assert (config.startups_start, config.startups_rate, config.startups_full) == (4, 50, 8)
    assert (config.rate_burst, config.rate_per_minute) == (5, 30.0)
    assert config.start_limit == 3
    player = Player(name=clean_name("ann"), term="xterm", cols=80, rows=24)
    argv = list(config.command(player))
    assert "--rounds=3" in argv and "--level=easy" in argv and "--name=ann" in argv


def test_missing_authorized_keys_is_a_usage_error_quoting_the_path_as_typed(
    tmp_path: Path,
) -> None:
    model_io.save_model(trained_model("abc"), model_io.model_path(tmp_path, "abc"))
    options = ServeOptions(data_dir=str(tmp_path), authorized_keys="./no/keys/")
    with pytest.raises(UsageError, match=r"^--authorized-keys \./no/keys/: no such file$"):
        server_main.build_config(options, out=io.StringIO())


def test_the_server_never_imports_argparse() -> None:
    for path in sorted(SERVER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert "argparse" not in names, f"{path.name}:{node.lineno} imports argparse"
