"""Fool the network: flip pixels of a clean letter until the network misreads it while the
best possible reader (the ideal observer) still reads it right."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Static

from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.views.guess import guess_view
from letter_tui.app.widgets.guess_panel import GuessPanel
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.letter_grid import LetterGrid
from letter_tui.app.widgets.marked_grid import MarkedGrid, fool_marks
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core import paths
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.scores import FoolBest, ScoreStore, ScoreStoreError


class BestKnown(Message):
    """What the scores database says of a letter's best, from a worker thread."""

    def __init__(
        self, key: tuple[str, str], best: FoolBest | None, new: bool, error: str | None
    ) -> None:
        super().__init__()
        self.key = key  # (alphabet, letter) it is about: the player may have moved on
        self.best = best
        self.new = new  # this screen's win just set it
        self.error = error


def best_line(letter: str, known: BestKnown | None) -> str:
    """One line on the letter's best so far (names come from the database: plain text)."""
    if known is None:
        return f"Best so far for {letter}: looking it up..."
    if known.error is not None:
        return f"Best so far for {letter}: not available ({known.error})"
    best = known.best
    if best is None:
        return f"Best so far for {letter}: no win yet. Be the first."
    flips = "flip" if best.flips == 1 else "flips"
    when = best.played_at[:10]
    prefix = "New best! " if known.new else ""
    return f"{prefix}Best so far for {letter}: {best.flips} {flips}, by {best.name} ({when})."


class FoolScreen(LetterScreen[None]):
    HELP_TOPIC = "fool"
    DEFAULT_CSS = """
    FoolScreen #fool-body { height: 1fr; }
    FoolScreen #fool-grid-box { width: 1fr; border: round $primary; }
    FoolScreen #fool-guess-box { width: 1fr; border: round $primary; }
    FoolScreen #fool-status { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("space", "flip", "Flip"),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("m", "show_minimum", "Fewest flips"),
        Binding("r", "restart", "Start over"),
        Binding("tab,pagedown", "letter(1)", "Next letter"),
        Binding("shift+tab,pageup", "letter(-1)", "Previous letter", show=False),
        Binding("escape", "app.activity('home')", "Home", show=False),
    ]

    index: var[int] = var(0, init=False)
    grid: var[tuple[int, ...]] = var((), init=False)
    cursor: var[tuple[int, int]] = var((0, 0), init=False)
    showing: var[bool] = var(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._minimum: dict[tuple[int, tuple[int, ...]], object] = {}
        self._known: BestKnown | None = None  # the current letter's best, once read
        self._recorded: tuple[int, ...] = ()  # the last winning grid sent to the database

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="fool-body"):
            with Vertical(id="fool-grid-box"):
                yield MarkedGrid(id="fool-grid")
            with Vertical(id="fool-guess-box"):
                yield GuessPanel(id="fool-guess")
        yield Static("", id="fool-status")
        yield KeyFooter()

    @property
    def alphabet(self) -> Alphabet:
        return self.app.alphabet

    def on_mount(self) -> None:
        self.query_one("#fool-grid-box").border_title = "Flip pixels (x: flipped)"
        self.query_one("#fool-guess-box").border_title = "Network's guess"
        start = getattr(self.app, "start_letter", None)
        if start in self.alphabet.labels:
            self.set_reactive(FoolScreen.index, self.alphabet.index(start))
        self.watch(self.app, "model", self._refresh, init=False)
        self.watch(self.app, "alphabet", self._new_alphabet, init=False)
        self.action_restart()
        self._look_up_best()

    def _new_alphabet(self, *_: object) -> None:
        self.action_restart()
        self._look_up_best()

    # --- actions ----------------------------------------------------------------------------

    def action_restart(self, *_: object) -> None:
        self.index = min(self.index, len(self.alphabet) - 1)
        self.grid = tuple(self.alphabet.bitmaps[self.index])
        self.showing = False

    def action_letter(self, step: int) -> None:
        self.index = (self.index + step) % len(self.alphabet)
        self.action_restart()

    def action_move(self, dr: int, dc: int) -> None:
        r, c = self.cursor
        self.cursor = ((r + dr) % self.alphabet.rows, (c + dc) % self.alphabet.cols)

    def action_flip(self) -> None:
        r, c = self.cursor
        i = r * self.alphabet.cols + c
        grid = list(self.grid)
        grid[i] = 1 - grid[i]
        self.grid = tuple(grid)

    def action_show_minimum(self) -> None:
        self.showing = not self.showing

    def on_letter_grid_pixel_clicked(self, event: LetterGrid.PixelClicked) -> None:
        self.cursor = (event.row, event.col)
        self.action_flip()

    def watch_grid(self) -> None:
        self._refresh()

    def watch_index(self) -> None:
        self._look_up_best()

    # --- the best so far, kept in the scores database ----------------------------------------

    def _key(self) -> tuple[str, str]:
        return (self.alphabet.name, self.alphabet.labels[self.index])

    def _look_up_best(self) -> None:
        self._known = None
        self._store_worker(self._key(), None)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _store_worker(self, key: tuple[str, str], flips: int | None) -> None:
        """Read the letter's best, or record a win of `flips` (keeping the fewest)."""
        from letter_tui.core.names import login_name

        store = ScoreStore(paths.scores_path(self.app.data_root))
        try:
            if flips is None:
                best, new = store.fool_best(*key), False
            else:
                # Both were cleaned where they came in (--name, the login name).
                name = self.app.player_name or login_name()
                best, new = store.record_fool(*key, flips, name)
        except ScoreStoreError as error:
            self.post_message(BestKnown(key, None, False, str(error)))
            return
        self.post_message(BestKnown(key, best, new, None))

    def on_best_known(self, message: BestKnown) -> None:
        if message.key == self._key():
            self._known = message
            self._refresh()

    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        self.query_one(MarkedGrid).cursor = cursor

    def watch_showing(self) -> None:
        self._refresh()

    # --- what the screen shows ----------------------------------------------------------------

    def _fooling(self):
        """The network's fewest flips for this letter (cached per letter and model)."""
        from letter_tui.core.effects import minimum_flips

        model = self.app.model
        key = (self.index, id(model))
        if key not in self._minimum:
            bitmap = self.alphabet.bitmaps[self.index]
            self._minimum[key] = minimum_flips(model.network, bitmap, self.index, self.alphabet)
        return self._minimum[key]

    def _refresh(self, *_: object) -> None:
        from letter_tui.core.effects import ideal_minimum, ideal_reading

        alphabet = self.alphabet
        if not self.grid or len(self.grid) != alphabet.size:
            return
        clean = alphabet.bitmaps[self.index]
        flipped = frozenset(
            i for i, (a, b) in enumerate(zip(clean, self.grid, strict=True)) if a != b
        )
        grid = self.query_one(MarkedGrid)
        grid.shape = (alphabet.rows, alphabet.cols)
        grid.bitmap = self.grid
        model = self.app.model
        view = guess_view(model, alphabet, self.grid)
        self.query_one(GuessPanel).view = view
        letter = alphabet.labels[self.index]
        ideal = ideal_reading(self.grid, alphabet)
        ideal_text = " or ".join(alphabet.labels[i] for i in ideal)
        if len(ideal) > 1:
            ideal_text += " (a tie)"
        lines = [
            f"Letter {letter}. Your flips: {len(flipped)}. "
            f"The best possible reader (nearest letter) reads: {ideal_text}.",
        ]
        fits = model is not None and model.mismatch(alphabet) is None
        hint: frozenset[int] = frozenset()
        if not fits:
            lines.append(
                "No model fits this alphabet: train one (letter-tui train --headless) to play."
            )
        else:
            best = view.best
            reads = view.labels[best] if best is not None else "?"
            fooled = reads != letter and ideal == (self.index,)
            if fooled:
                lines.append(f"You win: the network reads {reads} but {letter} is still nearest.")
                if self.grid != self._recorded:
                    self._recorded = self.grid
                    self._store_worker(self._key(), len(flipped))
            elif reads != letter:
                lines.append(f"The network reads {reads}, but so might anyone: not a win.")
            else:
                lines.append(f"The network still reads {letter}.")
            result = self._fooling()
            needs = ideal_minimum(alphabet, self.index)
            if result.found:
                proof = "proven" if result.proven else "best found, not proven"
                minimum = f"{result.flips} ({proof})"
            else:
                minimum = "none found"
            lines.append(
                f"Fewest flips that change the network's guess: {minimum}; "
                f"the best possible reader needs {needs}. Press m to "
                + ("hide them (<>)." if self.showing else "show them on the grid.")
            )
            if self.showing:
                hint = frozenset(result.pixels)
        grid.marks = fool_marks(self.grid, clean, hint)
        lines.append(best_line(letter, self._known))
        self.query_one("#fool-status", Static).update(Text("\n".join(lines)))
