"""The quiz's settings as a form, for a game started from the home screen."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core.names import NAME_MAX, PlayerName, clean_name
from letter_tui.core.quiz import LEVEL_NAMES, LEVELS, MAX_NOISE, QuizSettings

FIXED = "fixed"
LEVEL_CHOICES = [
    *((f"{name} (noise {LEVELS[name]:.2f})", name) for name in LEVELS),
    ("adaptive (finds your threshold)", "adaptive"),
    ("fixed noise (you choose it)", FIXED),
]
assert {v for _, v in LEVEL_CHOICES} - {FIXED} == set(LEVEL_NAMES)
FIELDS = ("name", "rounds", "level", "noise", "time_limit", "seed")


def parse_form(
    values: dict[str, str], level: str
) -> tuple[QuizSettings | None, PlayerName, list[str]]:
    """Settings, cleaned name and the problems (each naming its field) from the form's text:
    the name is cleaned here, where it comes in (core.names), and nowhere after."""
    problems: list[str] = []
    name = clean_name(values["name"], fallback="")
    if not name:
        problems.append("Name: type at least one visible character")

    def number(field: str, label: str, kind: type, blank: object = None) -> object:
        text = values[field].strip()
        if not text:
            return blank
        try:
            return kind(text)
        except ValueError:
            what = "a whole number" if kind is int else "a number"
            problems.append(f"{label}: expected {what}, got {text!r}")
            return blank

    rounds = number("rounds", "Rounds", int, 0)
    noise = number("noise", "Noise", float) if level == FIXED else None
    if level == FIXED and noise is None and not values["noise"].strip():
        problems.append(f"Noise: type a flip probability from 0 to {MAX_NOISE}")
    time_limit = number("time_limit", "Time limit", float)
    seed = number("seed", "Seed", int)
    if problems:
        return None, name, problems
    settings = QuizSettings(
        rounds=int(rounds),  # type: ignore[call-overload]
        level="medium" if level == FIXED else level,
        noise=noise,  # type: ignore[arg-type]
        time_limit=time_limit,  # type: ignore[arg-type]
        seed=seed,  # type: ignore[arg-type]
    )
    labels = {"rounds": "Rounds", "level": "Level", "noise": "Noise", "time_limit": "Time limit"}
    labels["seed"] = "Seed"
    problems = [f"{labels[f]}: {why}" for f, why in settings.problems().items()]
    return (None if problems else settings), name, problems


class QuizSetup(ModalScreen["tuple[QuizSettings, PlayerName] | None"]):
    """Dismissed with (settings, name), or None when cancelled."""

    CSS_PATH = "quiz_setup.tcss"
    HELP_TOPIC = "quiz"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start"),
    ]

    def __init__(self, settings: QuizSettings, name: str) -> None:
        super().__init__()
        self.settings = settings
        self.player = name

    def compose(self) -> ComposeResult:
        s = self.settings
        level = FIXED if s.noise is not None else s.level
        # The same title line as every other screen (the form used to float without one).
        yield TitleBar()
        with Vertical(id="setup-dialog"):
            yield Static(Text("A new game", style="bold"))
            with Grid(id="setup-grid"):
                yield Static("Name")
                yield Input(self.player, max_length=NAME_MAX, id="name", compact=True)
                yield Static("Rounds")
                yield Input(str(s.rounds), id="rounds", type="integer", compact=True)
                yield Static("Level")
                yield Select(
                    LEVEL_CHOICES, value=level, allow_blank=False, id="level", compact=True
                )
                # Level and noise set one thing, how noisy the letters are: the noise field
                # shows only when "fixed noise" is the level (as --level / --noise on the CLI).
                yield Static("Noise", id="noise-label")
                noise = "" if s.noise is None else f"{s.noise:g}"
                yield Input(noise, id="noise", placeholder=f"0 to {MAX_NOISE}", compact=True)
                yield Static("Time limit (s)")
                limit = "" if s.time_limit is None else f"{s.time_limit:g}"
                yield Input(limit, id="time_limit", placeholder="none", compact=True)
                yield Static("Seed")
                seed = "" if s.seed is None else str(s.seed)
                yield Input(seed, id="seed", placeholder="random", type="integer", compact=True)
            yield Static(
                # Two lines of the 58 columns inside the dialog: it must fit at 64x20.
                "Tab moves; enter starts from any field; escape goes back. "
                "Space or ↑ ↓ opens the Level list. A seed replays a game.",
                id="setup-help",
            )
            yield Static("", id="setup-problems")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_noise()
        # Name first: the form opens on a field a newcomer types into, not on Rounds.
        self.query_one("#name", Input).focus()

    @on(Select.Changed, "#level")
    def _show_noise(self) -> None:
        fixed = self.query_one("#level", Select).value == FIXED
        self.query_one("#noise-label", Static).display = fixed
        self.query_one("#noise", Input).display = fixed

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_key(self, event: events.Key) -> None:
        # Select binds enter to opening its list; here enter starts the game from every
        # field, so it is taken before the bindings run. Space and the arrows still open
        # the list, and enter inside the open list (focus is then on the list) picks.
        if event.key == "enter" and self.focused is self.query_one("#level", Select):
            event.stop()
            event.prevent_default()
            self.action_start()

    def action_start(self) -> None:
        values = {f: self.query_one(f"#{f}", Input).value for f in FIELDS if f != "level"}
        level = str(self.query_one("#level", Select).value)
        settings, name, problems = parse_form(values, level)
        if settings is None:
            self.query_one("#setup-problems", Static).update(Text("\n".join(problems)))
            return
        self.dismiss((settings, name))

    def action_cancel(self) -> None:
        self.dismiss(None)
