"""One quiz round revealed: the noisy letter, the clean one, the network's outputs, who was right.

Used after each answer and again from the summary, to look at a round once more.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from letter_tui.app import palette
from letter_tui.app.views.guess import GuessView
from letter_tui.app.widgets.guess_panel import GuessPanel
from letter_tui.app.widgets.letter_grid import LetterGrid
from letter_tui.app.widgets.marked_grid import MarkedGrid, flip_marks
from letter_tui.app.widgets.quiz_lazy import FillOnMount
from letter_tui.app.widgets.why import top_units, unit_label, why_marks_with_flips
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.effects import explain, noise_margin
from letter_tui.core.network import Network
from letter_tui.core.quiz import Result

RIGHT = "✓ right"
WRONG = "✗ wrong"


def mark(right: bool) -> tuple[str, str]:
    """The verdict in words and a symbol, so it never depends on telling colours apart."""
    return (RIGHT, palette.RIGHT) if right else (WRONG, palette.WRONG)


def verdict(result: Result, labels: tuple[str, ...]) -> Text:
    """Who guessed what, and who was right; labels come from files, so this is plain Text."""
    rnd = result.round
    out = Text()
    out.append("You: ", style="bold")
    if result.timed_out:
        out.append("time ran out ")
    else:
        out.append(f"{labels[result.guess]} ")  # type: ignore[index]
    out.append(*mark(result.player_right))
    out.append("   Network: ", style="bold")
    out.append(f"{labels[rnd.network_guess]} ")
    out.append(*mark(rnd.network_right))
    out.append("   Best possible reader: ", style="bold")
    out.append(f"{labels[rnd.ideal_guess]} ")
    out.append(*mark(rnd.ideal_right))
    if len(rnd.ideal_nearest) > 1:
        tied = " ".join(labels[i] for i in rnd.ideal_nearest)
        out.append(f" (a tie between {tied}, picked at random)", style="dim")
    return out


def noise_note(result: Result, alphabet: Alphabet) -> Text:
    """How many more flips would have made what was shown look like another letter."""
    rnd = result.round
    labels = alphabet.labels
    margin = noise_margin(rnd.bitmap, alphabet, rnd.letter)
    if margin is None:
        return Text("")
    truth = labels[rnd.letter]
    other = " or ".join(labels[i] for i in margin.others)
    if margin.to_other < margin.to_truth:
        return Text(f"The noise made it look more like {other} than {truth}.")
    if margin.to_tie == 0:
        return Text(f"The noise made it look as much like {other} as {truth}: a tie.")
    flips = "flip" if margin.to_tie == 1 else "flips"
    # Each flip toward the other letter closes the gap by two: an even gap ends in a tie, an
    # odd one past it (9 from C and 6 from B: 2 flips give 7 and 8).
    tie = (margin.to_other - margin.to_truth) % 2 == 0
    look = f"as much like {other} as {truth}" if tie else f"more like {other} than {truth}"
    return Text(
        f"{margin.to_tie} more {flips} would make it look {look} "
        f"({margin.to_other} from {other}, {margin.to_truth} from {truth} now)."
    )


class RevealView(FillOnMount):
    """Call `show(result, alphabet)`; the verdict's second line is set with `set_footer`.
    Both may be called before the view is mounted (see `FillOnMount`)."""

    DEFAULT_CSS = """
    RevealView {
        height: 1fr;
    }

    #reveal-grids {
        height: 1fr;
    }

    /* Three equal shares, the network's bars at least 28 columns: 26 + 26 + 28 at 80x24
       (scale 2) as before, 40 each at 120x40 (scale 3), and the letters stop at 50, where
       LetterGrid's largest scale (4) fits. Narrower terminals shrink the letters first. */
    #seen-box, #truth-box {
        width: 1fr;
        max-width: 50;
        height: 1fr;
    }

    #net-box {
        width: 1fr;
        min-width: 28;
        height: 1fr;
    }

    #verdict {
        height: auto;
        padding: 0 1;
    }

    #reveal-footer {
        height: auto;
        padding: 0 1;
    }

    #noise-note {
        height: auto;
        padding: 0 1;
    }

    #why-note {
        height: auto;
        padding: 0 1;
    }
    """

    PAGE = "reveal"
    WHY_UNITS = 3  # units listed under the why overlay, opened with keys 1 to 3

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.why = False
        self.network: Network | None = None
        self.units: tuple[int, ...] = ()  # the units listed under the overlay, in key order
        self._shown: tuple[Result, Alphabet] | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="reveal-grids"):
            with Vertical(id="seen-box", classes="panel"):
                yield MarkedGrid(id="seen-grid")
            with Vertical(id="truth-box", classes="panel"):
                yield LetterGrid(id="truth-grid")
            with Vertical(id="net-box", classes="panel"):
                yield GuessPanel(id="net-guess")
        yield Static("", id="verdict")
        yield Static("", id="noise-note")
        yield Static("", id="why-note")
        yield Static("", id="reveal-footer")

    def show(
        self,
        result: Result,
        alphabet: Alphabet,
        output: str = "sigmoid",
        network: Network | None = None,
    ) -> None:
        """Show a round; with `network` (the one that played it) `toggle_why` can say why
        it read what it did."""
        if network is not None:
            self.network = network
        self.when_ready(lambda: self._show(result, alphabet, output))

    def toggle_why(self) -> None:
        self.why = not self.why
        self.when_ready(self._show_why)

    def _show(self, result: Result, alphabet: Alphabet, output: str) -> None:
        self._shown = (result, alphabet)
        rnd = result.round
        labels = alphabet.labels
        shape = (alphabet.rows, alphabet.cols)
        seen = self.query_one("#seen-grid", MarkedGrid)
        truth = self.query_one("#truth-grid", LetterGrid)
        for grid, bitmap in ((seen, rnd.bitmap), (truth, rnd.clean)):
            grid.shape = shape
            grid.bitmap = bitmap
            grid.cursor = (-1, -1)  # no cursor: nothing is edited here
        self.query_one("#seen-box").border_title = "You saw"
        self.query_one("#truth-box").border_title = f"It was {labels[rnd.letter]}"
        self.query_one("#truth-box").border_subtitle = f"noise {rnd.p:.2f}"
        self.query_one("#net-box").border_title = "Network's outputs"
        self.query_one("#net-guess", GuessPanel).view = GuessView(
            labels=labels, outputs=rnd.outputs, has_model=True, output=output
        )
        self.query_one("#verdict", Static).update(verdict(result, labels))
        self.query_one("#noise-note", Static).update(noise_note(result, alphabet))
        self._show_why()

    def _show_why(self) -> None:
        """`You saw` with the why overlay (the noise's flips still marked x) and the units
        that pushed the network's reading most, or with the flips alone."""
        note = self.query_one("#why-note", Static)
        seen = self.query_one("#seen-grid", MarkedGrid)
        box = self.query_one("#seen-box")
        note.display = self.why
        self.units = ()
        if self._shown is None:
            return
        result, alphabet = self._shown
        rnd = result.round
        plural = "pixel" if rnd.flipped == 1 else "pixels"
        if not self.why:
            seen.marks = flip_marks(rnd.bitmap, rnd.clean)
            box.border_subtitle = f"{rnd.flipped} {plural} flipped (x)"
            return
        network = self.network
        if network is None or network.W2.shape[1] != len(alphabet):
            seen.marks = flip_marks(rnd.bitmap, rnd.clean)
            note.update(Text("Why: the network that played this round is not at hand."))
            return
        explanation = explain(network, rnd.bitmap)
        guess = alphabet.labels[explanation.guess]
        seen.marks = why_marks_with_flips(explanation.effects, rnd.bitmap, rnd.clean)
        box.border_subtitle = f"{rnd.flipped} flipped (x), why {guess}"
        self.units = top_units(explanation, self.WHY_UNITS)
        # Each unit with its own key: "1-3" beside "unit 3, unit 2, unit 4" read as unit keys.
        units = ", ".join(
            f"[{key}] {unit_label(explanation, u)}" for key, u in enumerate(self.units, 1)
        )
        keys = f"1-{len(self.units)}" if len(self.units) > 1 else "1"
        note.update(
            Text(
                f"Why {guess}: ++ + (red) push toward it, -- - (blue) against, · little; "
                f"x flipped\nUnits pushing {guess} (press {keys} to look inside): {units}"
            )
        )

    def set_footer(self, text: Text) -> None:
        self.when_ready(lambda: self.query_one("#reveal-footer", Static).update(text))
