"""Production code uses only Textual's public API, read from the source (ast), not by running it.

A private Textual module or attribute can change in any release (textual is pinned, but an
upgrade should be a version bump and regenerated snapshots, not a hunt through our code).
What counts as private: a module path with a part starting with "_" (`textual.widgets._footer`),
an attribute starting with "_" reached on anything but `self`/`cls`/`super()` (another
object's internals, Textual's or one of our own widgets'), and a name Textual's own classes
keep private read on `self` when the module does not define it itself (inherited internals).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import textual

import letter_tui
from tests.conftest import MakeApp

PACKAGE = Path(letter_tui.__file__).parent
EXCLUDED: set[str] = set()
# Private by name, public by documentation: `os._exit` is how a forked child leaves, and a
# named tuple's methods start with "_" so they cannot clash with its fields.
# A forked player leaves by os._exit (no second run of the fork server's own clean-up), so it
# runs the exit handlers it registered itself first: the stdlib has no public spelling of that.
ALLOWED = {"os._exit", "atexit._run_exitfuncs"}
NAMEDTUPLE = {"_replace", "_asdict", "_fields", "_field_defaults", "_make"}
PRIVATE_MODULE = re.compile(r"^textual(\.\w+)*\._\w+")


def production_modules() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py"))
    assert len(found) > 50, found  # the scan really reads the package
    return [p for p in found if p.relative_to(PACKAGE).as_posix() not in EXCLUDED]


def textual_private_names() -> set[str]:
    """`self._x` attributes and `_x` methods of the Textual classes our screens and widgets
    subclass, read from the installed Textual's source."""
    root = Path(textual.__file__).parent
    names: set[str] = set()
    for name in ("widget.py", "screen.py", "dom.py", "message_pump.py", "widgets/_footer.py"):
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and _is_self(node.value):
                names.add(node.attr)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names.add(node.name)
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def _is_self(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return (
        isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"
    )


def problems(path: Path, textual_private: set[str]) -> list[str]:
    """Each private use in the module at `path`, as "file:line what"."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = (
        path.relative_to(PACKAGE.parent).as_posix() if path.is_relative_to(PACKAGE) else path.name
    )
    own = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and _is_self(node.value)
    } | {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [f"{line} imports {a.name}" for a in node.names if _private_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("textual"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                if _private_module(node.module) or (
                    alias.name.startswith("_") and _is_module(full)
                ):
                    found.append(f"{line} imports {full}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if PRIVATE_MODULE.match(node.value):  # importlib.import_module("textual._x")
                found.append(f"{line} names {node.value}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            if node.attr.startswith("__") or node.attr in NAMEDTUPLE:
                continue
            if ast.unparse(node) in ALLOWED:
                continue
            if not _is_self(node.value):
                found.append(f"{line} reaches {ast.unparse(node)}")
            elif node.attr in textual_private and node.attr not in own:
                found.append(f"{line} reads Textual's {ast.unparse(node)}")
    return found


def _private_module(name: str) -> bool:
    return name.split(".")[0] == "textual" and any(p.startswith("_") for p in name.split("."))


def _is_module(name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def test_production_code_uses_only_public_textual() -> None:
    private = textual_private_names()
    assert {"_compositor", "_bindings_ready"} <= private  # the scan reads Textual's classes
    found = [p for path in production_modules() for p in problems(path, private)]
    assert found == []


def test_the_scan_catches_what_it_is_for(tmp_path: Path) -> None:
    """The checks themselves: each kind of private use in a made-up module is reported."""
    source = (
        "from textual.widgets._footer import FooterKey\n"
        "import textual._context\n"
        "from textual.widgets import _footer\n"
        "PRELOAD = ['textual.widgets._label']\n"
        "def f(screen, tiles):\n"
        "    screen._compositor.render_strips()\n"
        "    return tiles._layout()\n"
        "class F:\n"
        "    def g(self):\n"
        "        return self._bindings_ready, self._mine, os._exit, point._replace(x=1)\n"
        "    def h(self):\n"
        "        self._mine = 1\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(source, encoding="utf-8")
    said = "\n".join(problems(probe, textual_private_names()))
    for expected in (
        "imports textual.widgets._footer.FooterKey",
        "imports textual._context",
        "imports textual.widgets._footer",
        "names textual.widgets._label",
        "reaches screen._compositor",
        "reaches tiles._layout",
        "reads Textual's self._bindings_ready",
    ):
        assert expected in said, said
    assert "_mine" not in said and "os._exit" not in said and "_replace" not in said


def test_type_ignores_for_the_app_are_gone() -> None:
    """Screens read the app's state through LetterScreen's typed `app`."""
    left = {
        path.relative_to(PACKAGE).as_posix(): path.read_text(encoding="utf-8").count(
            "type: ignore[attr-defined]"
        )
        for path in PACKAGE.rglob("*.py")
    }
    assert {name: n for name, n in left.items() if n} == {}


async def test_unit_tiles_say_how_many_fit_in_a_row() -> None:
    """Inside's up and down keys move by `UnitTiles.per_row`: as many as the screen shows."""
    import numpy as np
    from textual.app import App, ComposeResult

    from letter_tui.app.views.inside_data import UnitsData
    from letter_tui.app.widgets.unit_maps import UnitTiles

    class Tiles(App[None]):
        def compose(self) -> ComposeResult:
            yield UnitTiles()

    app = Tiles()
    async with app.run_test(size=(40, 12)) as pilot:
        tiles = app.query_one(UnitTiles)
        assert tiles.per_row == 1  # no data yet
        hidden = 20
        tiles.data = UnitsData(
            np.zeros((30, hidden)), np.zeros(hidden), np.zeros((hidden, 3)), ("A", "B", "C"), 6, 5
        )
        await pilot.pause()
        labels = tiles.render_line(0).text.split()  # the first row of tiles: "▶1 2 3 ..."
        assert 1 < tiles.per_row < hidden
        assert labels == ["▶1", *map(str, range(2, tiles.per_row + 1))]


async def test_a_click_on_a_footer_key_presses_it(make_app: MakeApp) -> None:
    """Train's footer (the public-API KeyFooter) still works with the mouse."""
    from letter_tui.app.screens.help import HelpScreen
    from letter_tui.app.widgets.key_footer import KeyFooter
    from tests.footer_support import footer_column, footer_keys

    app = make_app(mode="train")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "? Help" in footer_keys(app.screen)  # shown, and not dimmed
        await pilot.click(KeyFooter, offset=(footer_column(app.screen, "? Help"), 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
