"""Switch alphabet: a modal listing the bundled alphabets and the user's own, or a path typed in.

Dismissed with the alphabet read and its file, or None (escape). A file that cannot be read
leaves the picker open with the file's one-line error under the list: nothing changes. Names,
labels and errors come from the user's files, so every line is plain Text, never markup.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.errors import LetterTuiError
from letter_tui.services.alphabets import AlphabetChoice, choices, open_choice, open_spec

Picked = tuple[Alphabet, Path]


def choice_line(choice: AlphabetChoice, current: str) -> Text:
    """One option: name, letters and size, where it comes from, whether a model is saved."""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{choice.name:<10} ", style="bold")
    if choice.alphabet is None:
        line.append("cannot be read (enter shows why)")
        return line
    alphabet = choice.alphabet
    line.append(f"{len(alphabet):>3} letters, {alphabet.rows}x{alphabet.cols}")
    line.append(", bundled" if choice.bundled else ", yours")
    line.append(", model saved" if choice.has_model else ", no model yet")
    if choice.name == current:
        line.append("  (in use)", style="bold")
    return line


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


class AlphabetPicker(ModalScreen[Picked | None]):
    DEFAULT_CSS = """
    AlphabetPicker {
        align: center middle;
    }
    #picker-dialog {
        width: 76;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        padding: 0 1;
        border: thick $primary;
        background: $surface;
    }
    #picker-list {
        height: auto;
        max-height: 10;
    }
    #picker-path-label {
        margin-top: 1;
    }
    #picker-error {
        height: auto;
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    HELP_TOPIC = "home"

    def __init__(self, root: Path, current: str, current_path: Path) -> None:
        super().__init__()
        self.root = root
        self.current = current
        self.current_path = current_path
        self.choices = choices(root)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog") as dialog:
            dialog.border_title = "Switch alphabet"
            dialog.border_subtitle = "enter picks, esc cancels"
            yield OptionList(
                *(
                    Option(choice_line(c, self.current), id=f"choice-{i}")
                    for i, c in enumerate(self.choices)
                ),
                id="picker-list",
            )
            yield Static("Or type a name or the path of an alphabet file:", id="picker-path-label")
            yield Input(placeholder="e.g. ~/letters.txt", id="picker-path")
            yield Static("", id="picker-error")

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        names = [c.name for c in self.choices]
        menu.highlighted = names.index(self.current) if self.current in names else 0
        menu.focus()

    def say(self, problem: str) -> None:
        """The one-line error under the list (a file's own words: plain text)."""
        self.query_one("#picker-error", Static).update(Text(problem, style="bold"))

    @property
    def error(self) -> str:
        return str(self.query_one("#picker-error", Static).content)

    def _picked(self, found: Picked) -> None:
        alphabet, path = found
        if alphabet.name == self.current and _same_file(path, self.current_path):
            self.say(f"Alphabet '{self.current}' is the one in use already.")
            return
        self.dismiss(found)

    @on(OptionList.OptionSelected, "#picker-list")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self.choices[event.option_index]
        try:
            self._picked(open_choice(self.root, choice))
        except LetterTuiError as error:
            self.say(f"Not switched: {error}")

    @on(Input.Submitted, "#picker-path")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.say("Type a name (abc, az, ...) or the path of an alphabet file first.")
            return
        try:
            self._picked(open_spec(self.root, event.value))
        except LetterTuiError as error:
            self.say(f"Not switched: {error}")

    def action_cancel(self) -> None:
        self.dismiss(None)
