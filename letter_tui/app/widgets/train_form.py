"""The training settings form: one row per TrainSettings field, bad values refused in place.

Numbers are typed into inputs; choices (output, initial weights, fresh noise) cycle with
left/right or space. Up and down move between fields, like tab and shift+tab. Every field's
value is checked as it changes with the core's `settings_from_text`, and a refused value is
marked and explained on the line under its field.
"""

from __future__ import annotations

from dataclasses import fields, replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import DescendantFocus
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from letter_tui.core.network import INITS, OUTPUTS
from letter_tui.core.training import (
    FIELDS,
    TUTORIAL,
    Field,
    TrainSettings,
    settings_from_text,
    speed_text,
)

NOISE_ONLY = ("copies", "fresh_noise")
"""Fields that matter only when the training noise is above 0."""

CHOICES: dict[str, tuple[str, ...]] = {
    "output": OUTPUTS,
    "init": INITS,
    "fresh_noise": ("no", "yes"),
}


def field_text(settings: TrainSettings, name: str) -> str:
    value = getattr(settings, name)
    if name == "speed":
        return speed_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


ROOMY_WIDTH = 40  # the form shows each setting's one-line explanation from this width


def first_sentence(text: str) -> str:
    """The first sentence of a field's help (the one line the form has room for)."""
    head, dot, _ = text.partition(". ")
    return head + dot.strip()


class Choice(Widget, can_focus=True):
    """One of a few fixed values, shown as `‹ value ›`; left/right or space change it."""

    BINDINGS = [
        Binding("right,space", "cycle(1)", "Next choice", show=False),
        Binding("left", "cycle(-1)", "Previous choice", show=False),
    ]

    value: reactive[str] = reactive("")

    class Changed(Message):
        def __init__(self, choice: Choice) -> None:
            super().__init__()
            self.choice = choice

    def __init__(self, options: tuple[str, ...], value: str, *, id: str) -> None:
        super().__init__(id=id)
        self.options = options
        self.set_reactive(Choice.value, value)

    def render(self) -> Text:
        return Text(f"‹ {self.value} ›")

    def action_cycle(self, step: int) -> None:
        i = self.options.index(self.value) if self.value in self.options else 0
        self.value = self.options[(i + step) % len(self.options)]

    def watch_value(self) -> None:
        self.post_message(self.Changed(self))


class FieldInput(Input):
    """An input whose enter shows in the footer as what it does here: start training."""

    BINDINGS = [Binding("enter", "submit", "Start")]


class TrainForm(VerticalScroll, can_focus=False):
    """The settings form. `read()` gives the settings and the problems, field by field."""

    DEFAULT_CSS = """
    TrainForm {
        border: round $primary-muted;
        border-title-color: $text-primary;
        border-title-style: bold;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }

    TrainForm:focus-within {
        border: round $primary;
    }

    TrainForm .field-row {
        height: 1;
    }

    TrainForm .field-label {
        width: 16;
        color: $text-muted;
    }

    TrainForm Input, TrainForm Choice {
        width: 1fr;
        height: 1;
    }

    TrainForm Choice {
        background: $surface;
    }

    TrainForm Choice:focus {
        background: $primary 40%;
        text-style: bold;
    }

    TrainForm .-invalid {
        color: $text-error;
        text-style: bold underline;
    }

    TrainForm .field-help {
        display: none;
        height: 1;
        color: $text-muted;
        padding: 0 0 0 2;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }

    TrainForm.-roomy .field-help {
        display: block;
    }

    TrainForm .problem {
        display: none;
        height: auto;
        color: $text-error;
        padding: 0 0 0 2;
    }

    /* A setting the chosen options leave unused is told by italics and muted text, not by
       fading it to 50% (2.5:1): it still reads at 4.5:1. */
    TrainForm .field-row.-unused .field-label,
    TrainForm .field-row.-unused Input,
    TrainForm .field-row.-unused Choice {
        color: $text-muted;
        text-style: italic;
    }
    """

    BINDINGS = [
        Binding("down", "app.focus_next", "Next field", show=False),
        Binding("up", "app.focus_previous", "Previous field", show=False),
        Binding("enter", "screen.submit_form", "Start"),
        Binding("escape", "screen.leave_form", "Done editing"),
    ]

    class FieldFocused(Message):
        """A field got the focus: the screen shows its explanation."""

        def __init__(self, field: Field) -> None:
            super().__init__()
            self.field = field

    class Edited(Message):
        """A value changed (checked already; `problems` is empty when all are fine)."""

        def __init__(self, problems: dict[str, str]) -> None:
            super().__init__()
            self.problems = problems

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._settings = TUTORIAL
        self._kinds = {f.name: f.type for f in fields(TrainSettings)}
        self.problems: dict[str, str] = {}
        self._shown = False

    def compose(self) -> ComposeResult:
        for f in FIELDS:
            with Horizontal(classes="field-row"):
                yield Label(f.label, classes="field-label")
                text = field_text(self._settings, f.name)
                if f.name in CHOICES:
                    yield Choice(CHOICES[f.name], text, id=f"field-{f.name}")
                else:
                    yield FieldInput(text, id=f"field-{f.name}", compact=True)
            yield Static("", id=f"problem-{f.name}", classes="problem")
            # One line saying what the setting does, shown where the form has the room.
            yield Static(first_sentence(f.help), classes="field-help", markup=False)

    def on_resize(self) -> None:
        width, height = self.size
        self.set_class(width >= ROOMY_WIDTH and height >= 2 * len(FIELDS), "-roomy")

    def editor(self, name: str) -> Input | Choice:
        return self.query_one(f"#field-{name}")  # type: ignore[return-value]

    def values(self) -> dict[str, str]:
        return {f.name: self.editor(f.name).value for f in FIELDS}

    def read(self) -> tuple[TrainSettings, dict[str, str]]:
        """The settings the fields say, and field name -> why a value is refused."""
        settings, problems = settings_from_text(self.values(), TUTORIAL)
        self._show(problems)
        # Without training noise these fields change nothing: say so by dimming them (they
        # stay editable, so a learner can set them before turning the noise up).
        unused = "noise" not in problems and settings.noise == 0
        for name in NOISE_ONLY:
            row = self.editor(name).parent
            if row is not None and row.has_class("-unused") != unused:
                row.set_class(unused, "-unused")
        return settings, problems

    def fill(self, settings: TrainSettings) -> None:
        """Put `settings` in every field (a reset, or the defaults of a new alphabet)."""
        with self.prevent(Input.Changed, Choice.Changed):
            for f in FIELDS:
                self.editor(f.name).value = field_text(settings, f.name)
        self.read()

    def _show(self, problems: dict[str, str]) -> None:
        if problems == self.problems and self.is_mounted and self._shown:
            return  # unchanged: updating the lines would lay the screen out again
        self.problems = problems
        self._shown = True
        for f in FIELDS:
            message = problems.get(f.name, "")
            line = self.query_one(f"#problem-{f.name}", Static)
            line.update(Text(message))
            line.display = bool(message)
            self.editor(f.name).set_class(bool(message), "-invalid")

    def set_value(self, name: str, value: object) -> None:
        """Show `value` in one field (the speed, changed with + and - even while a run
        trains and the form is locked), checked like a typed one."""
        self.editor(name).value = field_text(replace(self._settings, **{name: value}), name)

    def set_locked(self, locked: bool) -> None:
        """Keep the focus out of the fields (tab, clicks) while `locked`. Not `disabled`:
        that restyles every field twice per run, 30 ms of an az run's half second."""
        if locked and self.has_focus_within:
            self.screen.set_focus(None)
        for f in FIELDS:
            self.editor(f.name).can_focus = not locked

    @property
    def fields_locked(self) -> bool:
        return not self.editor(FIELDS[0].name).can_focus

    def first_problem(self) -> str | None:
        return next((f.name for f in FIELDS if f.name in self.problems), None)

    @property
    def speed(self) -> float:
        """The speed the form says (max, 0, when its text is refused)."""
        settings, problems = self.read()
        return 0.0 if "speed" in problems else settings.speed

    def fill_keeping_speed(self, settings: TrainSettings) -> None:
        """`fill`, but the speed stays: it is how the learner watches, not the recipe."""
        self.fill(replace(settings, speed=self.speed))

    def follow_defaults(self, old: TrainSettings, new: TrainSettings) -> None:
        """The alphabet's recommended settings changed from `old` to `new`: only untouched
        settings follow; the learner's own choices stay, and so does the speed."""
        settings, problems = self.read()
        if not problems and replace(settings, speed=0.0) == old and new != old:
            self.fill(replace(new, speed=settings.speed))

    def refused(self) -> tuple[str, str] | None:
        """The first refused field and why, with the focus sent there; None when every
        value is accepted."""
        _, problems = self.read()
        if not problems:
            return None
        name = self.first_problem() or next(iter(problems))
        self.editor(name).focus()
        return name, problems[name]

    @on(Input.Changed)
    @on(Choice.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        _, problems = self.read()
        self.post_message(self.Edited(problems))

    @on(DescendantFocus)
    def _focused(self, event: DescendantFocus) -> None:
        name = (event.widget.id or "").removeprefix("field-")
        for f in FIELDS:
            if f.name == name:
                self.post_message(self.FieldFocused(f))
                return
