"""Home: what the game is, the activities one key away, the state of alphabet and model (how
well the model reads noisy letters), and the alphabet's letters drawn small."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from letter_tui.app.activities import ACTIVITIES
from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.widgets.alphabet_view import AlphabetView
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core import paths

if TYPE_CHECKING:
    from letter_tui.core.alphabet import Alphabet
    from letter_tui.core.model_io import Model

INTRO = (
    "A tiny neural network, written from scratch in NumPy, learns to read letters drawn as "
    "small grids of pixels. Draw the letters, train the network, then watch how well it "
    "reads them, even with pixels flipped."
)
REMOTE_INTRO = (
    "A tiny neural network, written from scratch in NumPy, has learned to read letters drawn "
    "as small grids of pixels. In the quiz you and the network read the same noisy letters: "
    "who reads better as more pixels flip?"
)


class HomeScreen(LetterScreen[None]):
    # DEFAULT_CSS, not CSS_PATH: a screen's CSS_PATH makes Textual re-parse every stylesheet
    # and restyle every node on the screen's first visit, which for Home (the commonest first
    # screen) was a whole extra parse before the first frame. Textual scopes these rules to
    # HomeScreen; app.tcss sets none of these ids.
    # #letters: the alphabet's letters fill what is left of the room (whole rows only).
    DEFAULT_CSS = """
    #home-body {
        padding: 1 2;
        height: 1fr;
    }

    #intro {
        margin-bottom: 1;
    }

    #menu {
        height: auto;
        max-height: 10;
        margin-bottom: 1;
    }

    #state {
        height: auto;
        color: $text-muted;
    }

    #letters {
        margin-top: 1;
    }
    """
    HELP_TOPIC = "home"
    # One key per activity, from the registry; the app disables those it does not offer.
    BINDINGS = [
        # Help's key is in the menu; the footer names help once, as "? Help", on every screen.
        *(
            Binding(a.key, f"app.activity('{a.mode}')", a.title, show=a.mode != "help")
            for a in ACTIVITIES
            if a.in_menu
        ),
        # Not in the footer (full at 80 columns): the state lines below the menu name it.
        Binding("a", "switch_alphabet", "Switch alphabet", show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A remote player may write no files (a bundled alphabet's first copy): not offered.
        return not (action == "switch_alphabet" and self.app.remote)

    def action_switch_alphabet(self) -> None:
        """Pick another alphabet: a bundled one, one of yours, or a file."""
        self.app.action_switch_alphabet()

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="home-body"):
            yield Static(REMOTE_INTRO if self.app.remote else INTRO, id="intro")
            yield OptionList(id="menu")
            yield Static("", id="state")
            yield AlphabetView(id="letters")
        yield KeyFooter()

    def on_mount(self) -> None:
        menu = self.query_one(OptionList)
        for activity in self.app.activities:
            if activity.in_menu:
                line = Text.assemble(
                    (f" {activity.key} ", "bold reverse"),
                    (f"  {activity.title:<8}", "bold"),
                    activity.description,
                )
                menu.add_option(Option(line, id=activity.mode))
        menu.highlighted = 0
        menu.focus()
        # Drawn once here, not once per watch (each watch's init would redraw it).
        self.watch(self.app, "alphabet", self._show_state, init=False)
        self.watch(self.app, "model", self._show_state, init=False)
        self.watch(self.app, "model_loading", self._show_state, init=False)
        self.watch(self.app, "model_notice", self._show_state, init=False)
        self._show_state()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.action_activity(event.option.id)

    READ_AT = 0.1
    """The noise at which Home says how well the model reads (Inside's noise chart agrees)."""

    _reads: tuple[Model, str] | None = None

    @work(thread=True, exclusive=True, group="home-reads", exit_on_error=False)
    def _measure(self, model: Model, alphabet: Alphabet) -> None:
        # 10,000 noisy letters (70 ms for abc, 240 ms for az): off the UI thread, after the
        # first frame. The same letters as Inside's noise chart, so the two numbers agree.
        import numpy as np

        from letter_tui.core.evaluate import SAMPLES, level_seed, noisy_letters

        seed = model.meta.seed
        X, truth = noisy_letters(alphabet, self.READ_AT, SAMPLES, level_seed(seed, self.READ_AT))
        right = float(np.mean(np.asarray(model.network.predict(X)) == truth))
        line = f"reads {right:.1%} of noisy letters right at noise {self.READ_AT:.2f}"
        self.app.call_from_thread(self._measured, model, line)

    def _measured(self, model: Model, line: str) -> None:
        self._reads = (model, line)
        self._show_state()

    def _show_state(self, *_: object) -> None:
        app = self.app
        alphabet = app.alphabet
        letters = self.query_one(AlphabetView)
        letters.shape = (alphabet.rows, alphabet.cols)
        letters.labels, letters.bitmaps = alphabet.labels, tuple(map(tuple, alphabet.bitmaps))
        text = Text()
        text.append("Alphabet ", style="bold")
        text.append(
            f"{alphabet.name}: {len(alphabet)} letters ({' '.join(alphabet.labels)}), "
            f"{alphabet.rows}x{alphabet.cols} pixels"
        )
        if app.dirty:
            text.append(", unsaved changes", style="bold")
        text.append("\nModel    ", style="bold")
        model = app.model
        if model is None and app.model_loading:
            text.append("loading...")
        elif model is None and app.model_notice:
            text.append(f"the saved file cannot be read: {app.model_notice}", style="bold")
        elif model is None:
            text.append("none trained yet")
        else:
            problem = app.model_problem()
            meta = model.meta
            when = meta.trained_at.replace("T", " ")[:16]
            text.append(f"{meta.hidden} hidden units, {meta.epochs} epochs, trained {when} UTC")
            if self._reads is not None and self._reads[0] is model:
                text.append(f"\n         {self._reads[1]}")
            elif not problem:
                self._measure(model, alphabet)
            if problem:
                text.append(f"\n         out of date: {problem}", style="bold")
        if not app.remote:
            names = ", ".join(paths.bundled_alphabet_names())
            text.append(
                f"\n\nAnother alphabet: press a (bundled: {names}; yours; or a file)",
            )
        self.query_one("#state", Static).update(text)
