"""Lesson: the tutorial's seven steps, each its code as shipped beside the live values.

The pages come from `letter_tui.core.lesson` (the same text `letter-tui lesson --headless`
prints); the code is core/reference.py's, the arithmetic the fast Trainer is proven equal to.
Space runs one epoch on the lesson's own network; every page shows that network's values.
"""

from __future__ import annotations

import re

from rich.syntax import Syntax
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core.lesson import TITLES, Lesson, Page

STEPS = len(TITLES)
WIDE = 110  # from this many columns the code and the values sit side by side
# An array's heading: its name and shape, "Z1 (3, 5)" or "sigmoid_derivative(A1) (3, 5)".
ARRAY_HEADING = re.compile(r"^\S+ \(\d+(, \d+)*\)")
NOTE_WORDS = ("not of the", "not Z", "before that epoch's update", "need not sum")


class Trained(Message):
    """A worker finished running epochs on the lesson's network."""


class LessonScreen(LetterScreen[None]):
    HELP_TOPIC = "lesson"
    DEFAULT_CSS = """
    LessonScreen #lesson-heading {
        height: auto;
        padding: 0 1;
    }
    LessonScreen #lesson-body {
        layout: vertical;
        height: 1fr;
    }
    LessonScreen #lesson-body.-wide {
        layout: horizontal;
    }
    LessonScreen #code-scroll {
        height: auto;
        max-height: 45%;
        padding: 0 1;
    }
    LessonScreen #values-scroll {
        height: 1fr;
        padding: 0 1;
    }
    LessonScreen #lesson-body.-wide #code-scroll {
        width: 1fr;
        height: 1fr;
        max-height: 100%;
    }
    LessonScreen #lesson-body.-wide #values-scroll {
        width: 58;
    }
    LessonScreen #lesson-code, LessonScreen #lesson-values {
        width: 100%;
        height: auto;
    }
    """
    BINDINGS = [
        # Priority: the focused panel would otherwise take left and right for scrolling.
        Binding("left", "step(-1)", "Back", priority=True),
        Binding("right", "step(1)", "Next", priority=True),
        Binding("space", "run(1)", "1 epoch"),
        Binding("c", "run(100)", "100"),
        Binding("k", "run(1000)", "1000"),
        Binding("0", "reset", "Epoch 0"),
        Binding("m", "trained", "Trained"),
        Binding("n", "next_letters", "Letters"),
        Binding("u", "next_units", "Units"),
        Binding("escape", "app.activity('home')", "Home", show=False),
    ]

    step: reactive[int] = reactive(1, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.lesson: Lesson | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="lesson-heading")
        with Horizontal(id="lesson-body"):
            with VerticalScroll(id="code-scroll", classes="panel"):
                yield Static("", id="lesson-code")
            with VerticalScroll(id="values-scroll", classes="panel"):
                yield Static("", id="lesson-values")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#code-scroll").border_title = "Code (letter_tui/core/reference.py)"
        self.query_one("#values-scroll").border_title = "Values now"
        self.watch(self.app, "alphabet", self._new_alphabet)
        self.query_one("#values-scroll").focus()

    def on_resize(self, event: Resize) -> None:
        self.query_one("#lesson-body").set_class(event.size.width >= WIDE, "-wide")
        self.call_after_refresh(self._say_if_code_is_cut)

    def _new_alphabet(self, *_: object) -> None:
        # Drawing changes the letters: the lesson starts again on the alphabet as drawn.
        self.lesson = Lesson.for_alphabet(self.app.alphabet)
        self.show()

    # --- showing a page ----------------------------------------------------------------------

    def watch_step(self) -> None:
        self.show(scroll_home=True)

    def show(self, scroll_home: bool = False) -> None:
        if self.lesson is None:
            return
        page = self.lesson.page(self.step)
        self._show_heading(page)
        self.query_one("#lesson-code", Static).update(
            Syntax(page.code, "python", theme="github-dark", word_wrap=True)
        )
        self.query_one("#lesson-values", Static).update(values_text(page))
        if scroll_home:
            for scroll in self.query(VerticalScroll):
                scroll.scroll_home(animate=False)
        self.call_after_refresh(self._say_if_code_is_cut)

    def _say_if_code_is_cut(self) -> None:
        # At 80x24 the code box shows part of a step's code; the arrows scroll the values
        # (they have the focus), so say how to reach the rest.
        code = self.query_one("#code-scroll", VerticalScroll)
        code.border_subtitle = "tab, then ↓: the rest of the code" if code.max_scroll_y else ""

    def _show_heading(self, page: Page, doing: str = "") -> None:
        heading = Text(f"Step {page.number} of {STEPS}: {page.title}", style="bold")
        for line in page.header:
            heading.append("\n" + line, style="not bold")
        if doing:
            heading.append(f" {doing}", style="not bold")
        self.query_one("#lesson-heading", Static).update(heading)

    # --- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        lesson = self.lesson
        if action == "next_letters":
            return lesson is not None and len(lesson.alphabet) > 3
        if action == "next_units":
            return lesson is not None and lesson.hidden > 5
        if action in ("run", "reset", "trained") and self.busy:
            return None  # shown dimmed while epochs run
        return True

    def action_step(self, delta: int) -> None:
        self.step = min(STEPS, max(1, self.step + delta))

    def action_run(self, epochs: int) -> None:
        if self.lesson is None or self.busy:
            return
        if epochs == 1:
            self.lesson.run(1)  # a fraction of a millisecond: no thread needed
            self.show()
            return
        self.busy = True
        self.refresh_bindings()
        self._show_heading(self.lesson.page(self.step), f"Running {epochs} epochs...")
        self._train(self.lesson, epochs)

    @work(thread=True, exclusive=True, group="lesson", exit_on_error=False)
    def _train(self, lesson: Lesson, epochs: int) -> None:
        try:
            lesson.run(epochs)
        finally:
            self.post_message(Trained())

    def on_trained(self, _: Trained) -> None:
        self.busy = False
        self.refresh_bindings()
        self.show()

    def action_reset(self) -> None:
        if self.lesson is not None:
            self.lesson.reset()
            self.show()

    def action_trained(self) -> None:
        lesson = self.lesson
        if lesson is None:
            return
        app = self.app
        model = app.model
        if model is None:
            self.notify("No trained model yet: train one on Train, or keep going with space.")
            return
        problem = app.model_problem()
        if problem:
            self.notify(f"The trained model is out of date: {problem}", severity="warning")
            return
        net = model.network
        if net.output != "sigmoid":
            self.notify(
                f"The trained model has {net.output} outputs; the lesson follows the "
                "tutorial's sigmoid network, so it keeps its own.",
                severity="warning",
            )
            return
        lesson.use_weights((net.W1, net.b1, net.W2, net.b2), model.meta.epochs)
        self.show()
        self.notify(f"Continuing from the trained model, at epoch {model.meta.epochs}.")

    def action_next_letters(self) -> None:
        if self.lesson is not None:
            self.lesson.next_letters()
            self.show()

    def action_next_units(self) -> None:
        if self.lesson is not None:
            self.lesson.next_units()
            self.show()


def values_text(page: Page) -> Text:
    """A page's values, array headings in bold and the tutorial's subtleties underlined."""
    text = Text()
    for i, line in enumerate(page.lines):
        if i:
            text.append("\n")
        if ARRAY_HEADING.match(line):
            text.append(line, style="bold")
        elif any(words in line for words in NOTE_WORDS):
            text.append(line, style="italic")
        else:
            text.append(line)
    return text
