"""The letter-tui Textual app: shared state, activities, help, quitting and the size guard.

Contracts the screens (Draw, Train, Quiz, ...) and the SSH server build on:

- `letter_tui.app.launch.run_app(options: LaunchOptions) -> int` starts the app on
  `options.mode` ("home", "draw", ...; `letter_tui.services.launch_options`, built once by the
  CLI). It resolves the alphabet with `resolve_alphabet` (`--alphabet`, default abc;
  `--data-dir`), checks `options.letter` for Draw, runs the app and returns its exit status;
  the app loads the saved model (`model_io.load_model`) in a thread right after its first
  frame. A bad alphabet file or option raises `LetterTuiError`, which the CLI prints as its
  one-line error (never a traceback). `options.remote` is passed on as `remote`.
- `LetterTuiApp(alphabet, alphabet_path, data_root, *, model=None, mode="home", remote=False,
  start_letter=None, notice=None, load_saved_model=False)`. Shared state lives in `var`s
  (reactive without repainting the screen), observed with `self.watch(self.app, name, cb)`,
  never by reaching into other screens:
    - `alphabet: Alphabet`: the alphabet as edited in Draw, saved or not. Train and Quiz use
      this value. Replace it, never mutate it (it is immutable).
    - `model: Model | None` (always_update): the current model. `set_model(model)` installs a
      new one (Train calls it after saving the model file); watchers redraw.
      `model_loading: bool` is True until the saved model has been read.
    - `model_problem() -> str | None`: why the model does not fit `alphabet` (the model's
      `mismatch`), for "out of date" messages; None when it fits or there is no model.
    - `dirty: bool`: the alphabet differs from the file on disk. `save_alphabet() -> Path`
      writes it atomically (OSError on failure, PermissionError when remote); `save_path` is
      where it goes (the alphabet's own file, never a bundled one).
    - `workspace: Workspace` (`letter_tui.services.workspace`, no Textual) holds the alphabet,
      its file and the model, and does the saving, the loading and the watching of the model
      file; the names above are its, kept on the app for the screens.
    - `data_root: Path`, `alphabet_path: Path`, `remote: bool`, `start_letter: str | None`.
    - `quiz_settings: QuizSettings | None` (from `letter-tui quiz`'s options; None: the quiz
      asks in a form) and `player_name: str | None` (`--name`; None: the quiz asks).
    - `game_in_progress: str | None`: set by the quiz while a game is unfinished (what a
      quit would lose, one sentence); ctrl+q then asks first. `last_game`: (alphabet,
      level, game id) of the game saved last, for the leaderboard to open on.
- Screens: compose `widgets.title_bar.TitleBar()` and `widgets.key_footer.KeyFooter()` (not
  Textual's Header and Footer: each one line, repainted only when what it shows changed); set
  `HELP_TOPIC` (their page in `letter_tui/app/help/`); bind escape to `app.activity('home')`.
- Activities: `letter_tui.app.activities.ACTIVITIES` builds `MODES`, the home menu, the global
  keys (action `activity(mode)`, e.g. `app.activity('draw')` in a binding) and the command
  palette ("Go to <Title>"). Adding one is one `Activity(...)` entry. `has_activity(mode)` says
  whether a mode is offered: Draw's guess panel offers "Press t to train" only once "train" is
  registered, and names `letter-tui train --headless --alphabet NAME` until then. With
  `remote=True` only activities marked `remote` exist (home, help now); nothing that writes
  files (Draw, Train, saving, screenshots) is reachable.
- Help: `?` or F1 opens `help/<screen.HELP_TOPIC>.md` for the current screen, followed by a
  table of the keys that work there (built from the live bindings). `{activities}` in a page
  becomes the table of activities.
- ctrl+q quits from anywhere; with unsaved edits it asks first (s save, d discard, esc stay).
- Below `min_size()` (64x20, more for big grids) a modal says "Please enlarge the terminal to
  at least WxH"; it goes away when the terminal is big enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.stylesheet import Stylesheet
from textual.events import Resize
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from letter_tui.core.alphabet import Alphabet
from letter_tui.services.workspace import Workspace

if TYPE_CHECKING:
    from letter_tui.core.model_io import Model
    from letter_tui.core.quiz import QuizSettings

from .activities import ACTIVITIES, Activity, available
from .palette import legible_variables
from .screens.choice import ChoiceScreen
from .screens.too_small import TooSmallScreen

HERE = Path(__file__).parent
MODEL_POLL_SECONDS = 2.0
MIN_WIDTH = 64
MIN_HEIGHT = 20


class LetterTuiApp(App[int]):
    # Absolute: Textual resolves relative paths beside the subclass (a test's, a server's).
    # Each reusable widget carries its own DEFAULT_CSS, so it is styled on whichever screen
    # shows it first (Inside's letters were once blank until Draw had been opened).
    CSS_PATH = [HERE / "app.tcss"]
    TITLE = "letter-tui"
    # The SSH server's fork server runs this app once before forking players and leaves its
    # parsed stylesheet here: each forked player starts from it instead of parsing the same
    # CSS again before its first frame. None in any other process.
    shared_stylesheet: ClassVar[Stylesheet | None] = None
    MODES = {activity.mode: activity.make_screen for activity in ACTIVITIES}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("question_mark,f1", "help", "Help", id="help"),
        *(
            Binding(a.global_key, f"activity('{a.mode}')", a.title, show=False, id=a.mode)
            for a in ACTIVITIES
            if a.global_key
        ),
    ]

    # `var`, not `reactive`: a change notifies watchers without repainting the whole screen;
    # the widgets that show the state repaint themselves.
    alphabet: var[Alphabet] = var(None, init=False)  # type: ignore[arg-type]
    model: var[Model | None] = var(None, init=False, always_update=True)
    dirty: var[bool] = var(False, init=False)
    model_loading: var[bool] = var(False, init=False)
    model_notice: var[str | None] = var(None, init=False)
    """Why the saved model file could not be read (None when it could, or there is none)."""

    class ModelLoaded(Message):
        def __init__(
            self, model: Model | None, notice: str | None, replace: bool = False, name: str = ""
        ) -> None:
            super().__init__()
            self.model = model
            self.notice = notice
            self.replace = replace
            self.name = name  # the alphabet it was read for: stale after a switch

    def __init__(
        self,
        alphabet: Alphabet,
        alphabet_path: Path,
        data_root: Path,
        *,
        model: Model | None = None,
        mode: str = "home",
        remote: bool = False,
        start_letter: str | None = None,
        notice: str | None = None,
        load_saved_model: bool = False,
        quiz_settings: QuizSettings | None = None,
        player_name: str | None = None,
        train_speed: float | None = None,
    ) -> None:
        self.remote = remote
        self.train_speed = train_speed  # `letter-tui train --speed N`: Train's form starts there
        self.quiz_settings = quiz_settings
        self.player_name = player_name
        self.unfinished: dict[str, str] = {}
        self._leave_checks: dict[str, Callable[[Callable[[], object]], bool]] = {}
        # What switching alphabet would lose besides `unfinished` (Draw's undo history), by
        # activity: asked only when switching, since quitting loses it anyway.
        self.switch_notes: dict[str, Callable[[], str | None]] = {}
        self.last_game: tuple[str, str, int] | None = None
        self.activities: tuple[Activity, ...] = available(remote)
        modes = {a.mode for a in self.activities}
        if mode not in modes:
            raise ValueError(f"no activity {mode!r} here; offered: {', '.join(sorted(modes))}")
        # Textual builds the first screen from DEFAULT_MODE: starting straight on `mode`
        # avoids building the home screen only to leave it.
        self.DEFAULT_MODE = mode
        super().__init__()
        if LetterTuiApp.shared_stylesheet is not None:
            self.stylesheet = LetterTuiApp.shared_stylesheet
        for name in list(self.MODES):
            if name not in modes:
                self.remove_mode(name)
        # The alphabet, its file, the model and its file: saved, loaded and watched there.
        self.workspace = Workspace(data_root, alphabet, alphabet_path, model=model, remote=remote)
        self.start_letter = start_letter
        self._notice = notice
        self._too_small: TooSmallScreen | None = None
        self.set_reactive(LetterTuiApp.alphabet, alphabet)
        self.set_reactive(LetterTuiApp.model, model)
        self.set_reactive(LetterTuiApp.model_loading, load_saved_model and model is None)
        self._update_title()

    # --- shared state ---------------------------------------------------------------------

    def get_css_variables(self) -> dict[str, str]:
        # Muted text at 4.5:1 in every theme (the stock 60% foreground is about 4:1).
        variables = super().get_css_variables()
        return {**variables, **legible_variables(variables)}

    @property
    def game_in_progress(self) -> str | None:
        """What quitting now would lose, a sentence per unfinished activity, or None."""
        return " ".join(self.unfinished.values()) or None

    def set_unfinished(self, activity: str, what: str | None) -> None:
        """Say (or, with None, stop saying) what `activity` would lose if the app quit now;
        ctrl+q asks first while anything is unfinished."""
        if what:
            self.unfinished[activity] = what
        else:
            self.unfinished.pop(activity, None)

    def set_leave_check(
        self, activity: str, check: Callable[[Callable[[], object]], bool] | None
    ) -> None:
        """Ask `check(proceed)` before leaving `activity` (another activity, quitting): it
        returns True when it asks the user first and calls `proceed` once they agree (Train
        with a paused run asks Keep or Discard), False to leave at once."""
        if check is None:
            self._leave_checks.pop(activity, None)
        else:
            self._leave_checks[activity] = check

    def set_model(self, model: Model | None) -> None:
        """Install a new model (Train calls this after saving it); screens watching `model`
        redraw their guesses."""
        self.workspace.set_model(model)
        self.model = model
        self.model_notice = None

    def model_problem(self) -> str | None:
        return self.workspace.model_problem()

    # The workspace's, under the names the screens and tests have always used.
    @property
    def data_root(self) -> Path:
        return self.workspace.root

    @property
    def alphabet_path(self) -> Path:
        return self.workspace.alphabet_path

    @alphabet_path.setter
    def alphabet_path(self, path: Path) -> None:
        self.workspace.alphabet_path = path

    @property
    def saved_alphabet(self) -> Alphabet:
        return self.workspace.saved_alphabet

    @property
    def save_path(self) -> Path:
        """Where ctrl+s writes: the alphabet's own file, unless that is a bundled asset."""
        return self.workspace.save_path

    def save_alphabet(self) -> Path:
        """Write the alphabet atomically; raises OSError when the disk refuses."""
        path = self.workspace.save_alphabet()
        self.dirty = False
        return path

    def watch_alphabet(self, alphabet: Alphabet) -> None:
        self.workspace.alphabet = alphabet
        self.dirty = self.workspace.dirty
        self._update_title()

    def _update_title(self) -> None:
        # Setting an App reactive repaints the whole screen, so this changes only with the
        # alphabet's name; TitleBar adds "unsaved changes" from `dirty` by itself.
        sub_title = f"alphabet {self.alphabet.name}"
        if self.sub_title != sub_title:
            self.sub_title = sub_title

    # --- activities -----------------------------------------------------------------------

    def has_activity(self, mode: str) -> bool:
        return any(a.mode == mode for a in self.activities)

    def activity(self, mode: str) -> Activity | None:
        return next((a for a in self.activities if a.mode == mode), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "activity":
            return bool(parameters) and self.has_activity(str(parameters[0]))
        # The palette could switch activities from under the "too small" message.
        return not (action == "command_palette" and self._too_small is not None)

    def action_activity(self, mode: str) -> None:
        if self._too_small is not None or not self.has_activity(mode):
            return
        check = self._leave_checks.get(self.current_mode)
        # Leaving may need a question answered first (a paused run); it comes back here.
        if mode != self.current_mode and check and check(lambda: self.action_activity(mode)):
            return
        self.switch_mode(mode)

    async def action_look_inside(self) -> None:
        """The inside view lives on top of Train (it shows Train's live network): go there."""
        if self._too_small is not None or not self.has_activity("train"):
            return
        if self.current_mode != "train":
            await self.switch_mode("train")
        from .screens.train import TrainScreen

        if isinstance(self.screen, TrainScreen):
            self.screen.action_inside()

    def action_switch_alphabet(self) -> None:
        """Pick another alphabet (`switching`): asks first when something would be lost."""
        from . import switching  # on first use: the picker is not needed for the first frame

        if self._too_small is None:
            switching.pick(self)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if not self.remote:  # a remote player may write no files (a bundled one's first copy)
            yield SystemCommand(
                "Switch alphabet...",
                "work on another alphabet: a bundled one, one of yours, or a file",
                self.action_switch_alphabet,
            )
        for activity in self.activities:
            if activity.mode != self.current_mode:
                yield SystemCommand(
                    f"Go to {activity.title}",
                    activity.description,
                    lambda mode=activity.mode: self.action_activity(mode),
                )
        from .screens.inside import InsideScreen

        if self.has_activity("train") and not isinstance(screen, InsideScreen):
            yield SystemCommand(
                "Look inside the network",
                "hidden units as heatmaps, a forward pass, accuracy against noise, mix-ups",
                self.action_look_inside,
            )
        for command in super().get_system_commands(screen):
            # A screenshot writes a file on the machine running the app: not for remote players.
            if self.remote and "screenshot" in command.title.lower():
                continue
            yield command

    # --- help and quitting ----------------------------------------------------------------

    def action_help(self) -> None:
        from .screens.help import HelpScreen, keys_table

        if isinstance(self.screen, HelpScreen | TooSmallScreen | ChoiceScreen):
            return
        topic = getattr(self.screen, "HELP_TOPIC", "index")
        self.push_screen(HelpScreen(topic, keys_table(self, self.screen)))

    async def action_quit(self) -> None:
        if not self.dirty and not self.game_in_progress:
            self.exit(0)
            return
        if isinstance(self.screen, ChoiceScreen):
            return
        for check in list(self._leave_checks.values()):
            if check(lambda: self.call_later(self.action_quit)):
                return
        if not self.dirty:
            self.push_screen(
                ChoiceScreen(
                    "Quit letter-tui?",
                    f"{self.game_in_progress} Quitting now saves nothing.",
                    [("y", "Quit", "quit")],
                    cancel="Stay",
                ),
                lambda result: self.exit(0) if result == "quit" else None,
            )
            return
        where = self.save_path
        choice = ChoiceScreen(
            "Quit letter-tui?",
            f"Alphabet '{self.alphabet.name}' has unsaved changes ({where})."
            + (f" {self.game_in_progress} It is not saved." if self.game_in_progress else ""),
            [("s", "Save and quit", "save"), ("d", "Discard and quit", "discard")],
            cancel="Stay",
        )

        def decided(result: str | None) -> None:
            if result == "discard":
                self.exit(0)
            elif result == "save":
                try:
                    self.save_alphabet()
                except OSError as error:
                    self.notify(f"Not saved: {error}", severity="error", timeout=8)
                    return
                self.exit(0)

        self.push_screen(choice, decided)

    # --- size guard -----------------------------------------------------------------------

    def min_size(self) -> Size:
        """The smallest terminal the layout works in; big grids need more rows."""
        alphabet = self.alphabet
        return Size(max(MIN_WIDTH, 2 * alphabet.cols + 40), max(MIN_HEIGHT, alphabet.rows + 7))

    def on_mount(self) -> None:
        if self._notice:
            self.notify(self._notice, title="Model not loaded", severity="warning", timeout=10)
        if self.model_loading:
            # After the first frame: loading imports NumPy, which the first frame does not need.
            self.call_after_refresh(self._load_saved_model, self.data_root, self.alphabet.name)
        if not self.remote:
            # A model trained in another terminal (`letter-tui train --headless`, as Draw
            # suggests) is picked up without a restart.
            self.set_interval(MODEL_POLL_SECONDS, self._check_model_file)

    def load_model_for(self, name: str) -> None:
        """Read alphabet `name`'s saved model in a thread (`model_loading` until it is read)."""
        self._load_saved_model(self.data_root, name)

    def _check_model_file(self) -> None:
        if not self.model_loading and self.workspace.model_file_changed():
            self._load_saved_model(self.data_root, self.alphabet.name, replace=True)

    @work(thread=True, exclusive=True, group="model", exit_on_error=False)
    def _load_saved_model(self, root: Path, name: str, replace: bool = False) -> None:
        try:
            model, notice = self.workspace.read_model(name)
        except Exception as error:  # never leave the app "loading" forever
            model, notice = None, f"could not load the model: {error}"
        self.post_message(self.ModelLoaded(model, notice, replace, name))

    def on_letter_tui_app_model_loaded(self, message: ModelLoaded) -> None:
        if message.name and message.name != self.alphabet.name:
            return  # read for the alphabet in use before a switch
        if message.notice:
            self.notify(message.notice, title="Model not loaded", severity="warning", timeout=10)
        if message.replace and message.model is not None:
            self.set_model(message.model)
            self.notify(
                f"Loaded the model saved in {message.model.meta.alphabet}.npz just now.",
                markup=False,  # the name comes from a file
            )
        elif self.model is None:
            # At start-up; a model installed meanwhile (by Train) is newer than the saved one.
            self.set_model(message.model)
        self.model_notice = message.notice
        # Only now: watchers of model_loading (the quiz waiting to start) must see the model.
        self.model_loading = False

    def on_resize(self, event: Resize) -> None:
        # The first Resize arrives at start-up too, so a small terminal is caught from the start.
        self._check_size(event.size)

    def check_size(self) -> None:
        """Check the terminal against `min_size()` again (a switch changes the grid's size)."""
        self._check_size(self.size)

    def _check_size(self, size: Size) -> None:
        need = self.min_size()
        small = size.width < need.width or size.height < need.height
        if small and self._too_small is None:
            self._too_small = TooSmallScreen(need, size)
            self.push_screen(self._too_small)
        elif small and self._too_small is not None:
            self._too_small.show(need, size)
        elif not small and self._too_small is not None:
            screen, self._too_small = self._too_small, None
            if self.screen is screen:
                screen.dismiss()
            # Otherwise a prompt sits above it: it dismisses itself when it is back on top.
