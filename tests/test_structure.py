"""The shape of the code, read from its imports: layers point down and nothing goes round.

    core  <-  services  <-  app, server  <-  cli

Every module's imports are read with `ast`, the lazy ones inside functions too (they run
later, but they are still a dependency). A relative import is resolved against its package.

app and server need no exception: the server starts the app as a separate program, from the
command line `services.launch_options.player_argv` writes. (The fork server preloads app
modules by name with importlib, to share their memory between players; that is not an
import the server's code depends on, and this reader does not see it.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "letter_tui"

# What each layer may never import, lazily or not. app and server are side by side: neither
# imports the other (the server starts the app as a separate process, by its command line).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "core": ("letter_tui.services", "letter_tui.app", "letter_tui.server", "letter_tui.cli",
             "textual"),
    "services": ("letter_tui.app", "letter_tui.server", "letter_tui.cli", "textual"),
    "app": ("letter_tui.server", "letter_tui.cli"),
    "server": ("letter_tui.app", "letter_tui.cli"),
}  # fmt: skip
# The fork server exists to hold the player's app preloaded (it imports the app's modules by
# name, and runs the remote quiz once, headless, before forking players): this single entry
# point is its one way into the app, used lazily, in the fork server's own process only.
EXCEPTIONS = {("letter_tui.server.forkserver", "letter_tui.app.warm")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, name: str) -> list[tuple[str, bool]]:
    return imports_of_source(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")


def imports_of_source(source: str, name: str, is_package: bool) -> list[tuple[str, bool]]:
    """(imported module, at top level?) for every import in the source. `from X import Y`
    counts as X, and as X.Y when that is a module of the package."""
    tree = ast.parse(source)
    package = name if is_package else name.rpartition(".")[0]
    known = modules()
    top_level = {id(node) for node in tree.body}
    # `if TYPE_CHECKING:` blocks never run: a type-only import is not a dependency.
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only |= {id(n) for child in node.body for n in ast.walk(child)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        top = id(node) in top_level
        if isinstance(node, ast.Import):
            found += [(alias.name, top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            found.append((source, top))
            found += [
                (f"{source}.{alias.name}", top)
                for alias in node.names
                if f"{source}.{alias.name}" in known
            ]
    return found


def graph(*, top_level_only: bool) -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        edges[name] = {
            target
            for target, top in imports(path, name)
            if target in known and target != name and (top or not top_level_only)
        }
    return edges


def layer(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the list of modules round it, or None."""
    done: set[str] = set()
    stack: list[str] = []
    on_stack: set[str] = set()

    def visit(node: str) -> list[str] | None:
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            # A package's __init__ is imported with any of its modules: not an arrow back.
            if node.startswith(nxt + "."):
                continue
            if nxt in on_stack:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in done:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        on_stack.discard(node)
        done.add(node)
        return None

    for start in sorted(edges):
        if start not in done:
            found = visit(start)
            if found:
                return found
    return None


def test_the_reader_sees_lazy_relative_and_type_only_imports() -> None:
    source = (
        "from typing import TYPE_CHECKING\nimport os\nfrom . import network\n"
        "if TYPE_CHECKING:\n    import textual\n"
        "def f():\n    from letter_tui.core import paths\n    import textual.app\n"
    )
    found = imports_of_source(source, "letter_tui.core.probe", is_package=False)
    assert ("os", True) in found
    assert ("letter_tui.core", True) in found and ("letter_tui.core.network", True) in found
    assert ("letter_tui.core.paths", False) in found and ("textual.app", False) in found
    assert ("textual", True) not in found


def test_no_import_cycle_at_module_level() -> None:
    cycle = find_cycle(graph(top_level_only=True))
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


def test_no_import_cycle_between_layers_counting_lazy_imports() -> None:
    # Lazy imports inside a layer may go round (a screen opening another); across layers,
    # nothing may: the app starts from launch, and launch never reaches back into the CLI.
    edges = graph(top_level_only=False)
    by_layer: dict[str, set[str]] = {}
    for source, targets in edges.items():
        for target in targets:
            a, b = layer(source), layer(target)
            if a and b and a != b:
                by_layer.setdefault(a, set()).add(b)
    cycle = find_cycle(by_layer)
    assert cycle is None, "layers import each other: " + " -> ".join(cycle or ())


def test_the_entry_seam_has_no_cycle_even_lazily() -> None:
    # The cycle this replaced: cli -> app.launch -> app.app -> app.launch -> cli.
    edges = graph(top_level_only=False)
    seam = {n: {t for t in e if t.startswith(("letter_tui.cli", "letter_tui.app.launch",
                                               "letter_tui.app.app", "letter_tui.services"))}
            for n, e in edges.items()
            if n.startswith(("letter_tui.cli", "letter_tui.app.launch", "letter_tui.app.app",
                             "letter_tui.services"))}  # fmt: skip
    cycle = find_cycle(seam)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or ())


@pytest.mark.parametrize("lower", sorted(FORBIDDEN))
def test_layers_point_down(lower: str) -> None:
    wrong = []
    for name, path in modules().items():
        if layer(name) != lower:
            continue
        for target, top in imports(path, name):
            if (name, target) in EXCEPTIONS:
                continue
            if any(target == p or target.startswith(p + ".") for p in FORBIDDEN[lower]):
                where = "" if top else " (inside a function)"
                wrong.append(f"{name} imports {target}{where}")
    assert not wrong, "\n".join(wrong)


def test_every_module_is_at_most_450_lines() -> None:
    long = {
        name: n
        for name, path in modules().items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert not long, long


VIEWS = "letter_tui.app.views"


def imports_textual(target: str) -> bool:
    return target == "textual" or target.startswith("textual.")


def test_the_views_never_import_textual_even_through_another_module() -> None:
    # The app's view models are plain data: nothing they import, lazily or not, directly or
    # through another of the package's modules, may be Textual.
    known = modules()
    edges = graph(top_level_only=False)
    views = sorted(name for name in known if name == VIEWS or name.startswith(VIEWS + "."))
    assert f"{VIEWS}.terminal_text" in views
    wrong = []
    for start in views:
        seen, todo = {start}, [[start]]
        while todo:
            route = todo.pop()
            here = route[-1]
            wrong += [
                " -> ".join([*route, target])
                for target, _top in imports(known[here], here)
                if imports_textual(target)
            ]
            for nxt in sorted(edges[here] - seen):
                seen.add(nxt)
                todo.append([*route, nxt])
    assert not wrong, "\n".join(sorted(set(wrong)))
