"""Draw: edit the alphabet's letters pixel by pixel and watch the network guess live."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.reactive import var
from textual.widgets import Static

from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.screens.label_prompt import LabelPrompt
from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.views.guess import guess_view
from letter_tui.app.widgets.guess_panel import GuessPanel
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.letter_grid import LetterGrid
from letter_tui.app.widgets.letter_strip import LetterStrip
from letter_tui.app.widgets.marked_grid import MarkedGrid, why_marks
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.app.widgets.why import top_units
from letter_tui.core import paths
from letter_tui.core.alphabet import Alphabet, load_bundled

UNDO_LIMIT = 1000


@dataclass(frozen=True)
class State:
    """What undo restores: the whole alphabet (immutable, so cheap to keep) and the letter."""

    alphabet: Alphabet
    index: int


def shifted(bitmap: tuple[int, ...], rows: int, cols: int, dr: int, dc: int) -> tuple[int, ...]:
    """The glyph moved by (dr, dc); the caller checks that no lit pixel falls off."""
    out = [0] * (rows * cols)
    for r in range(rows):
        for c in range(cols):
            if bitmap[r * cols + c]:
                out[(r + dr) * cols + (c + dc)] = 1
    return tuple(out)


def touches_edge(bitmap: tuple[int, ...], rows: int, cols: int, dr: int, dc: int) -> bool:
    for r in range(rows):
        for c in range(cols):
            if bitmap[r * cols + c] and not (0 <= r + dr < rows and 0 <= c + dc < cols):
                return True
    return False


class DrawScreen(LetterScreen[None]):
    # DEFAULT_CSS, not CSS_PATH: a screen's CSS_PATH re-parses every stylesheet and restyles
    # every node on its first visit. Scoped to DrawScreen; app.tcss sets none of these.
    # The letter grows with the room. A 6-pixel-wide letter at scale s takes 12s columns:
    # 38 (scale 3) at 80x24 as before, up to 50, where LetterGrid's largest scale (4, 48
    # columns) fits inside the border; wider terminals give the rest to the guess. Five
    # shares to seven keep 80x24 at 38 + 42 and give 50 + 70 at 120x40.
    DEFAULT_CSS = """
    #draw-body { height: 1fr; }
    #grid-panel { width: 5fr; min-width: 38; max-width: 50; height: 1fr; }
    #guess-box { width: 7fr; height: 1fr; }
    #status { height: auto; max-height: 2; padding: 0 1; color: $text-muted; }
    #why { height: auto; padding: 0 1; }
    """
    HELP_TOPIC = "draw"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("space", "toggle", "Toggle"),
        Binding("up,k", "move(-1, 0)", "Up", show=False),
        Binding("down,j", "move(1, 0)", "Down", show=False),
        Binding("left,h", "move(0, -1)", "Left", show=False),
        Binding("right,l", "move(0, 1)", "Right", show=False),
        Binding("shift+up,K", "shift(-1, 0)", "Shift glyph up", show=False),
        Binding("shift+down,J", "shift(1, 0)", "Shift glyph down", show=False),
        Binding("shift+left,H", "shift(0, -1)", "Shift glyph left", show=False),
        Binding("shift+right,L", "shift(0, 1)", "Shift glyph right", show=False),
        Binding("c", "clear", "Clear", show=False),
        Binding("i", "invert", "Invert", show=False),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("tab,pagedown", "letter(1)", "Next"),
        Binding("shift+tab,pageup", "letter(-1)", "Previous letter", show=False),
        Binding("slash", "jump", "Jump"),
        Binding("a", "add", "Add"),
        Binding("r", "rename", "Rename", show=False),
        Binding("x,delete", "delete", "Delete", show=False),
        Binding("ctrl+s", "save", "Save"),
        Binding("R", "reset", "Reset to bundled", show=False),
        Binding("t", "train", "Train", show=False),
        Binding("w", "why", "Why"),
        Binding("1", "look_inside(0)", "Look inside", key_display="1-3"),
        Binding("2", "look_inside(1)", "Look inside", show=False),
        Binding("3", "look_inside(2)", "Look inside", show=False),
        Binding("escape", "app.activity('home')", "Home", show=False),
    ]

    # `var`: the grid and panels repaint themselves; repainting the screen would cost a frame.
    index: var[int] = var(0, init=False)
    cursor: var[tuple[int, int]] = var((0, 0), init=False)
    why: var[bool] = var(False, init=False)

    def __init__(self) -> None:
        super().__init__()
        self._undo: list[State] = []
        self._redo: list[State] = []
        self.jumping = False
        self.why_units: tuple[int, ...] = ()  # the units the why overlay lists, in key order

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield LetterStrip(id="letters")
        with Horizontal(id="draw-body"):
            with Vertical(id="grid-panel", classes="panel"):
                yield MarkedGrid(id="grid")
                yield Static("", id="why")
            with Vertical(id="guess-box", classes="panel"):
                yield GuessPanel(id="guess")
        yield Static("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#guess-box").border_title = "Network's guess"
        start = getattr(self.app, "start_letter", None)
        if start in self.alphabet.labels:
            self.set_reactive(DrawScreen.index, self.alphabet.index(start))
        self.watch(self.app, "alphabet", self._refresh_all, init=False)
        self.watch(self.app, "model", self._refresh_guess, init=False)
        self.watch(self.app, "dirty", self._refresh_guess, init=False)
        self.watch(self.app, "model_loading", self._refresh_guess, init=False)
        self.watch(self.app, "model_notice", self._refresh_guess, init=False)
        # The undo history belongs to this alphabet: switching to another loses it.
        self.app.switch_notes["draw"] = self.history_note
        self._refresh_all()
        self.say("Arrows or hjkl move, space toggles a pixel, ? shows every key.")

    # --- state ----------------------------------------------------------------------------

    def history_note(self) -> str | None:
        """What a switch of alphabet would lose here: the undo history (None: nothing)."""
        steps = len(self._undo)
        if not steps:
            return None
        return f"Draw's undo history ({steps} step{'s' if steps != 1 else ''}) goes."

    @property
    def alphabet(self) -> Alphabet:
        return self.app.alphabet

    @property
    def bitmap(self) -> tuple[int, ...]:
        return self.alphabet.bitmaps[self.index]

    @property
    def label(self) -> str:
        return self.alphabet.labels[self.index]

    def say(self, message: str) -> None:
        """One line under the grid; labels in it come from files, so it is plain Text."""
        self.query_one("#status", Static).update(Text(message))

    def commit(self, alphabet: Alphabet, index: int | None = None) -> bool:
        """Apply an edit as one undoable step; False when it changes nothing."""
        index = self.index if index is None else index
        if alphabet == self.alphabet and index == self.index:
            return False
        self._undo.append(State(self.alphabet, self.index))
        del self._undo[:-UNDO_LIMIT]
        self._redo.clear()
        self._restore(State(alphabet, index))
        return True

    def _restore(self, state: State) -> None:
        # Index first: the alphabet watcher redraws with it, and a deleted last letter must
        # not leave the index past the end.
        self.set_reactive(DrawScreen.index, min(state.index, len(state.alphabet) - 1))
        if state.alphabet != self.alphabet:
            self.app.alphabet = state.alphabet
        else:
            self._refresh_all()

    def watch_index(self) -> None:
        self._refresh_all()

    def watch_cursor(self, cursor: tuple[int, int]) -> None:
        self.query_one(LetterGrid).cursor = cursor

    def _refresh_all(self, *_: object) -> None:
        alphabet = self.alphabet
        if self.index >= len(alphabet):
            self.set_reactive(DrawScreen.index, len(alphabet) - 1)
        row, col = self.cursor
        self.cursor = (min(row, alphabet.rows - 1), min(col, alphabet.cols - 1))
        grid = self.query_one(LetterGrid)
        grid.shape = (alphabet.rows, alphabet.cols)
        grid.bitmap = self.bitmap
        strip = self.query_one(LetterStrip)
        strip.labels = alphabet.labels
        strip.current = self.index
        title = f"Letter {self.label} ({self.index + 1}/{len(alphabet)})"
        panel = self.query_one("#grid-panel")
        if str(panel.border_title) != title:  # setting it repaints the whole panel
            panel.border_title = title
        self._refresh_guess()

    def _refresh_guess(self, *_: object) -> None:
        app = self.app
        loading: bool = app.model_loading
        model = app.model
        view = guess_view(model, self.alphabet, self.bitmap, loading=loading)
        unreadable = app.model_notice
        if model is None and unreadable and not loading:
            view = dataclasses.replace(view, notice=f"The saved model cannot be read: {unreadable}")
        panel = self.query_one(GuessPanel)
        panel.offer = self._train_offer(view.has_model) if view.notice and not loading else ""
        panel.view = view
        self._refresh_why(view)

    def _refresh_why(self, view) -> None:  # type: ignore[no-untyped-def]
        """The why overlay: each pixel's effect on the guess, and the units that pushed it."""
        grid = self.query_one(MarkedGrid)
        why = self.query_one("#why", Static)
        why.display = self.why
        self.why_units = ()
        self.refresh_bindings()
        if not self.why or view.best is None:
            grid.marks = ()
            if self.why:
                why.update(Text("Why: no model can read this grid, so nothing to explain."))
            return
        from letter_tui.core.effects import explain

        model = self.app.model
        assert model is not None  # view.best is set only when a model read the grid
        explanation = explain(model.network, self.bitmap)
        grid.marks = why_marks(explanation.effects)
        guess = view.labels[explanation.guess]
        self.why_units = top_units(explanation, 3)
        units = "  ".join(
            f"[{key}] unit {u + 1} {explanation.contributions[u]:+.1f}"
            for key, u in enumerate(self.why_units, 1)
        )
        keys = f"1-{len(self.why_units)}" if len(self.why_units) > 1 else "1"
        why.update(
            Text(
                f"Why {guess}: ++ + (red) push toward it, -- - (blue) against, · little\n"
                f"Units pushing {guess} most (press {keys} to look inside): {units}"
            )
        )
        self.refresh_bindings()

    def action_look_inside(self, index: int) -> None:
        from letter_tui.app.screens.inside import open_unit

        model = self.app.model
        if model is not None and index < len(self.why_units):
            open_unit(self.app, model.network, self.alphabet, self.why_units[index])

    def action_why(self) -> None:
        self.why = not self.why

    def watch_why(self) -> None:
        self._refresh_guess()

    def _train_offer(self, has_model: bool) -> str:
        verb = "retrain it" if has_model else "train one"
        # LEAD: once the Train activity is registered (mode "train") this offers its key;
        # until then it names the headless command, which works today.
        if self.app.has_activity("train"):
            return f"Press t to {verb}."
        command = f"letter-tui train --headless --alphabet {self.alphabet.name}"
        if self.app.dirty:
            return f"Save (ctrl+s), then {verb} in a terminal:\n{command}"
        return f"To {verb}, run in a terminal:\n{command}"

    # --- keys -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reset":
            return self.alphabet.name in paths.bundled_alphabet_names()
        if action == "train":
            return self.app.has_activity("train")
        if action == "look_inside":
            return len(self.why_units) > int(parameters[0])  # type: ignore[call-overload]
        return True

    def on_key(self, event: Key) -> None:
        if not self.jumping:
            if event.key == "slash":
                # Start the jump here, not through the binding: a letter that arrives in the
                # same read as '/' (a paste, SSH) reaches on_key before a binding would run.
                event.stop()
                event.prevent_default()
                self.action_jump()
            return
        # The key after '/' names a letter, even one like 'c' that is also a command.
        event.stop()
        event.prevent_default()
        self.jumping = False
        if event.key == "escape" or not event.character or not event.is_printable:
            self.say("Jump cancelled.")
            return
        wanted = event.character
        for i, label in enumerate(self.alphabet.labels):
            if label == wanted or label.casefold() == wanted.casefold():
                self.index = i
                self.say(f"Letter {label}.")
                return
        self.say(f"No letter {wanted!r} in this alphabet; press a to add one.")

    def action_move(self, dr: int, dc: int) -> None:
        row, col = self.cursor
        self.cursor = (
            max(0, min(self.alphabet.rows - 1, row + dr)),
            max(0, min(self.alphabet.cols - 1, col + dc)),
        )

    def _set_pixel_bitmap(self, bitmap: tuple[int, ...]) -> bool:
        return self.commit(self.alphabet.with_bitmap(self.index, bitmap))

    def action_toggle(self) -> None:
        row, col = self.cursor
        bitmap = list(self.bitmap)
        i = row * self.alphabet.cols + col
        bitmap[i] = 1 - bitmap[i]
        self._set_pixel_bitmap(tuple(bitmap))

    def on_letter_grid_pixel_clicked(self, event: LetterGrid.PixelClicked) -> None:
        self.cursor = (event.row, event.col)
        self.action_toggle()

    def action_clear(self) -> None:
        if self._set_pixel_bitmap((0,) * self.alphabet.size):
            self.say(f"Cleared {self.label}; ctrl+z brings it back.")

    def action_invert(self) -> None:
        self._set_pixel_bitmap(tuple(1 - v for v in self.bitmap))

    def action_shift(self, dr: int, dc: int) -> None:
        a = self.alphabet
        if touches_edge(self.bitmap, a.rows, a.cols, dr, dc):
            self.say("The letter touches that edge: shifting would lose pixels.")
            return
        self._set_pixel_bitmap(shifted(self.bitmap, a.rows, a.cols, dr, dc))

    def action_undo(self) -> None:
        if not self._undo:
            self.say("Nothing to undo.")
            return
        self._redo.append(State(self.alphabet, self.index))
        self._restore(self._undo.pop())
        self.say(f"Undone ({len(self._undo)} more to undo); ctrl+y redoes.")

    def action_redo(self) -> None:
        if not self._redo:
            self.say("Nothing to redo.")
            return
        self._undo.append(State(self.alphabet, self.index))
        self._restore(self._redo.pop())
        self.say(f"Redone ({len(self._redo)} more to redo).")

    def action_letter(self, step: int) -> None:
        self.index = (self.index + step) % len(self.alphabet)

    def action_jump(self) -> None:
        self.jumping = True
        self.say("Jump to which letter? Type its label (escape cancels).")

    def action_add(self) -> None:
        def added(label: str | None) -> None:
            if label is not None:
                self.commit(self.alphabet.with_letter(label), len(self.alphabet))
                self.cursor = (0, 0)
                self.say(f"Added {label}: draw it, then ctrl+s to save.")

        self.app.push_screen(LabelPrompt("New letter", self.alphabet.labels), added)

    def action_rename(self) -> None:
        index = self.index
        others = self.alphabet.labels[:index] + self.alphabet.labels[index + 1 :]

        def renamed(label: str | None) -> None:
            if label is not None and label != self.alphabet.labels[index]:
                old = self.alphabet.labels[index]
                self.commit(self.alphabet.renamed(index, label), index)
                self.say(f"Renamed {old} to {label}.")

        self.app.push_screen(LabelPrompt(f"Rename {self.label}", others, self.label), renamed)

    def action_delete(self) -> None:
        if len(self.alphabet) == 1:
            self.say("An alphabet needs at least one letter: add another before deleting this.")
            return
        index, label = self.index, self.label

        def decided(choice: str | None) -> None:
            if choice == "delete":
                self.commit(self.alphabet.without(index), index)
                self.say(f"Deleted {label}; ctrl+z brings it back.")

        question = ChoiceScreen(
            f"Delete letter {label}?",
            f"Letter {label} and its drawing leave alphabet '{self.alphabet.name}'.",
            [("y", "Delete", "delete")],
        )
        self.app.push_screen(question, decided)

    def action_save(self) -> None:
        try:
            path = self.app.save_alphabet()
        except OSError as error:
            self.say(f"Not saved: {error}")
            return
        self.say(f"Saved {len(self.alphabet)} letters to {path}")

    def action_reset(self) -> None:
        name = self.alphabet.name

        def decided(choice: str | None) -> None:
            if choice == "reset":
                bundled = load_bundled(name)
                if self.commit(bundled, min(self.index, len(bundled) - 1)):
                    self.say(f"Back to the bundled {name}; ctrl+s saves it, ctrl+z undoes.")
                else:
                    self.say(f"Already the same as the bundled {name}.")

        question = ChoiceScreen(
            f"Reset {name} to the bundled letters?",
            "Your drawings of this alphabet are replaced by the ones letter-tui ships "
            "(ctrl+z undoes, and nothing is written until you save).",
            [("y", "Reset", "reset")],
        )
        self.app.push_screen(question, decided)

    def action_train(self) -> None:
        self.app.action_activity("train")
