"""Help: a Markdown page shipped in the package, and the keys that work on the screen."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown

from letter_tui.app.activities import Activity
from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.title_bar import TitleBar


def help_text(topic: str) -> str:
    return (resources.files("letter_tui.app") / "help" / f"{topic}.md").read_text("utf-8")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _textual_actions(node: object) -> set[str]:
    """Actions bound by Textual's own classes in `node`'s ancestry (scroll, page, copy)."""
    actions: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("textual."):
            for item in cls.__dict__.get("BINDINGS", ()):
                action = item.action if isinstance(item, Binding) else item[1]
                actions.add(action)
    return actions


def keys_table(app: App, screen: Screen) -> str:
    """A Markdown table of the keys that work on `screen` now, from its live bindings."""
    groups: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not active.enabled or not binding.description or binding.system:
            continue
        if binding.action in _textual_actions(active.node):
            continue  # Textual's own scrolling and copying keys: not this game's to explain
        shown = app.get_key_display(replace(binding, key=key))
        groups.setdefault((binding.action, binding.description), []).append(shown)
    lines = ["| Key | What it does |", "| --- | --- |"]
    lines += [f"| {_cell(', '.join(keys))} | {_cell(what)} |" for (_, what), keys in groups.items()]
    return "\n".join(lines)


def activities_table(activities: tuple[Activity, ...]) -> str:
    lines = [
        "| Activity | Home screen key | Key from anywhere | What it is |",
        "| --- | --- | --- | --- |",
    ]
    for a in activities:
        home = a.key if a.in_menu else ""
        lines.append(f"| {a.title} | {home} | {a.global_key.upper()} | {_cell(a.description)} |")
    return "\n".join(lines)


class HelpScreen(LetterScreen[None]):
    """As an activity (mode "help") it shows the index; pushed by ? or F1 it shows the
    current screen's page and keys, and escape goes back."""

    CSS_PATH = "help.tcss"
    HELP_TOPIC = "index"
    BINDINGS = [Binding("escape,q", "close", "Back")]

    def __init__(self, topic: str = "index", keys: str = "") -> None:
        super().__init__()
        self.topic = topic
        self.keys = keys

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="help-scroll"):
            yield Markdown(self._markdown(), id="help-text")
        yield KeyFooter()

    def _markdown(self) -> str:
        text = help_text(self.topic)
        activities = self.app.activities
        text = text.replace("{activities}", activities_table(activities))
        if self.keys:
            text += "\n\n## Keys here\n\n" + self.keys
        return text

    def on_mount(self) -> None:
        self.sub_title = "Help"
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.dismiss()
        else:
            self.app.action_activity("home")
