"""The core never imports Textual: the CLI's headless path, the server and tests rely on it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import letter_tui.core


def test_core_imports_no_textual() -> None:
    modules = [f"letter_tui.core.{m.name}" for m in pkgutil.iter_modules(letter_tui.core.__path__)]
    assert "letter_tui.core.network" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
