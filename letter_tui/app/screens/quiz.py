"""Quiz: the player and the network guess the same noisy letters, round after round.

Phases, one page each: "training" (a model is trained first when none fits the alphabet),
"round" (the noisy letter; press its key), "reveal" (who was right; enter goes on) and
"summary" (saved to the score store as it appears). The phases, their transitions and the
game clock live in `services.quiz_controller` (no Textual); the rules in `core.quiz`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Static
from textual.worker import Worker, WorkerState

from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.screens.name_prompt import NamePrompt
from letter_tui.app.screens.quiz_replay import ReplayScreen
from letter_tui.app.screens.quiz_setup import QuizSetup
from letter_tui.app.views.quiz_text import (
    IDLE,
    is_answer,
    leave_question,
    not_a_letter,
    reveal_footer,
    training_note,
)
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.quiz_reveal import RevealView
from letter_tui.app.widgets.quiz_round import RoundView, status_text
from letter_tui.app.widgets.quiz_summary import SummaryView
from letter_tui.app.widgets.quiz_waiting import WaitingPage
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.app.workers.quiz_tasks import (
    NotSaved,
    Saved,
    TrainDone,
    TrainProgress,
    save_game,
    train_model,
)
from letter_tui.core import paths
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.names import PlayerName, login_name
from letter_tui.core.quiz import NotAnAnswer, Quiz, Result, Round, answer_hint
from letter_tui.core.quiz_settings import QuizSettings
from letter_tui.core.scores import GameRecord
from letter_tui.services.quiz_controller import QuizController, QuizPhase
from letter_tui.services.workspace import model_file

PageView = TypeVar("PageView", RevealView, SummaryView)
TICK_S = 0.1
# Answer times come from here; tests replace it with a fake clock before the app starts.
CLOCK: Callable[[], float] = time.monotonic


class QuizScreen(LetterScreen[None]):
    CSS_PATH = "quiz.tcss"
    HELP_TOPIC = "quiz"
    AUTO_FOCUS = None
    BINDINGS = [
        # Display only: letter keys are read in on_key, since labels come from the alphabet.
        Binding("a", "answer_keys", "Answer", key_display="letter", id="quiz-answer"),
        Binding("enter", "next", "Next", id="quiz-next"),
        # The reveal's why overlay and the units it lists (see RevealView).
        Binding("w", "why", "Why", id="quiz-why"),
        Binding("1", "look_inside(0)", "Look inside", key_display="1-3", id="quiz-inside"),
        Binding("2", "look_inside(1)", "Look inside", show=False),
        Binding("3", "look_inside(2)", "Look inside", show=False),
        Binding("n", "new_game", "New game", id="quiz-new"),
        Binding("l", "board", "Leaderboard", id="quiz-board"),
        Binding("escape", "leave", "Home", id="quiz-leave"),
    ]

    phase: reactive[QuizPhase] = reactive(QuizPhase.IDLE, init=False)
    """The controller's phase, mirrored for the watcher that turns the pages."""

    def __init__(self) -> None:
        super().__init__()
        self.game = QuizController(CLOCK, self._phase_changed)
        self.saved_id: int | None = None
        self._ticker: Timer | None = None
        self._restart = False

    def _phase_changed(self, phase: QuizPhase) -> None:
        self.phase = phase

    @property
    def quiz(self) -> Quiz | None:
        """The game under way (or just over); None before one begins."""
        return self.game.quiz

    @property
    def player(self) -> str:
        return self.game.player

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="quiz-status")
        with ContentSwitcher(id="quiz-pages", initial="training-page"):
            yield WaitingPage(id="training-page", classes="panel")
            yield RoundView(id="round-page")
            # The reveal and the summary are mounted on first use (`_view`).
        yield KeyFooter()

    def on_mount(self) -> None:
        self._update_status()
        self.call_after_refresh(self.new_game, first=True)

    def on_unmount(self) -> None:
        self.game.stop.set()

    # --- state ----------------------------------------------------------------------------

    @property
    def alphabet(self) -> Alphabet:
        """The game's alphabet: the one it started with, even if Draw changes the app's."""
        if self.quiz is not None:
            return self.quiz.alphabet
        return self.app.alphabet

    @property
    def remote(self) -> bool:
        return bool(getattr(self.app, "remote", False))

    def _page(self, page: str) -> None:
        self.query_one(ContentSwitcher).current = f"{page}-page"

    def watch_phase(self, phase: QuizPhase) -> None:
        # The reveal and the summary are mounted on first use, before their page shows.
        if phase == QuizPhase.REVEAL:
            self._view(RevealView)
        elif phase == QuizPhase.SUMMARY:
            self._view(SummaryView)
        if phase in ("training", "round", "reveal", "summary"):
            self._page(phase)
        # The summary's round list is the only focusable widget: elsewhere it must not take
        # enter (or any key) from the game while hidden.
        summary = self.query(SummaryView)
        if summary:
            summary.first().when_ready(lambda: self._focus_rounds(phase))
        else:
            self.set_focus(None)
        unfinished = self.game.unfinished
        if unfinished or not self.game.playing:
            self.app.set_unfinished("quiz", unfinished)
        self.refresh_bindings()
        self._update_status()

    def _focus_rounds(self, phase: str) -> None:
        # Unless the phase changed again before the summary was mounted.
        if phase != self.phase:
            return
        rounds = self.query_one("#split-rounds")
        rounds.disabled = phase != "summary"
        if phase == "summary":
            rounds.focus()
        else:
            self.set_focus(None)

    def _view(self, view: type[PageView]) -> PageView:
        """The reveal or summary page, mounted (hidden) the first time it is needed."""
        found = self.query(view)
        if found:
            return found.first()
        page = view(id=f"{view.PAGE}-page")
        page.display = False
        self.query_one(ContentSwitcher).mount(page)
        return page

    def _update_status(self) -> None:
        status = status_text(self.quiz, self.phase, self.player, self.alphabet.name)
        self.query_one("#quiz-status", Static).update(status)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "look_inside":
            units = self._view(RevealView).units if self.game.allows("why") else ()
            return len(units) > int(parameters[0])  # type: ignore[call-overload]
        return self.game.allows(action)

    # --- starting a game ------------------------------------------------------------------

    def new_game(self, first: bool = False) -> None:
        """Ask what is missing (settings locally, a name), then play."""
        app = self.app
        given: QuizSettings | None = app.quiz_settings
        name: PlayerName | None = app.player_name  # cleaned by --name's parser
        # Remote players play the server's settings every time; `letter-tui quiz` plays its
        # options first; from home (and for another game) the form asks.
        if self.remote or (given is not None and first):
            settings = given or QuizSettings()
            if name:
                self.start(settings, name)
            else:
                self.app.push_screen(
                    NamePrompt(login_name()),
                    lambda n: self._set_up(None if n is None else (settings, n)),
                )
            return
        base = self.game.settings or given or QuizSettings()
        prompt = QuizSetup(base, self.player or name or login_name())
        self.app.push_screen(prompt, self._set_up)

    def _set_up(self, chosen: tuple[QuizSettings, PlayerName] | None) -> None:
        if chosen is None:
            self._go_home()
        else:
            self.start(*chosen)

    def _go_home(self) -> None:
        """Leave without a game; coming back to the quiz starts a new one."""
        self._stop_countdown()
        self.game.leave()
        self._say_idle()
        self.app.action_activity("home")
        self._restart = True

    def on_screen_resume(self) -> None:
        # The resume that follows a dismissed prompt can arrive after we switched to home:
        # only a resume that shows this screen counts.
        if self._restart and self.app.screen is self:
            self._restart = False
            self.new_game()
            return
        self.game.resume()

    def on_screen_suspend(self) -> None:
        # Help, or another activity, pauses the round's clock (and its countdown).
        self.game.suspend()

    def _say_idle(self, text: str = IDLE) -> None:
        self._page("training")
        self.query_one(WaitingPage).say(text, title="No game")

    def start(self, settings: QuizSettings, name: PlayerName) -> None:
        self.game.start(settings, name)
        self.saved_id = None
        if self.app.model_loading:
            # The saved model is still being read: wait for it rather than train a new one
            # (which would also overwrite the saved file).
            self._page("training")
            self.query_one(WaitingPage).say("Loading the saved model...")
            self.watch(self.app, "model_loading", self._loaded, init=False)
            return
        model = self.app.model
        problem = self.app.model_problem()
        if model is None or problem:
            self._train(problem)
        else:
            self._begin(model)

    def _loaded(self, loading: bool) -> None:
        settings = self.game.settings
        if not loading and self.phase != QuizPhase.ROUND and self.quiz is None and settings:
            self.start(settings, self.player)

    def _train(self, problem: str | None) -> None:
        alphabet = self.alphabet
        self.query_one(WaitingPage).say(training_note(problem, alphabet.name), training=True)
        stop = self.game.train()
        # Over SSH nothing but the score may be written on the server: train in memory only.
        save_to = None if self.remote else model_file(self.app.data_root, alphabet.name)
        self._training_worker(alphabet, save_to, stop)

    @work(thread=True, exclusive=True, exit_on_error=False, group="quiz-train")
    def _training_worker(
        self, alphabet: Alphabet, save_to: Path | None, stop: threading.Event
    ) -> None:
        train_model(alphabet, stop, save_to, self.post_message)

    def on_train_progress(self, message: TrainProgress) -> None:
        self.query_one(WaitingPage).progress(message.done, message.total)

    def on_train_done(self, message: TrainDone) -> None:
        self.app.set_model(message.model)
        if message.note:
            self.notify(message.note, timeout=4)
        if self.game.trained():  # not when the player left while it finished
            self._begin(message.model)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if event.worker.group == "quiz-train":
            self.game.training_failed()
            self._say_idle(f"Training failed: {error}. Press n to try again.")
        elif event.worker.group == "quiz-save":
            self.post_message(NotSaved(str(error)))

    def _begin(self, model: Model) -> None:
        self._show_round(self.game.begin(self.app.alphabet, model.network))

    # --- rounds ---------------------------------------------------------------------------

    def _show_round(self, rnd: Round) -> None:
        self.query_one(RoundView).show(rnd, self.alphabet)
        self._start_countdown()

    def _start_countdown(self) -> None:
        self._stop_countdown()
        limit = self.game.settings.time_limit if self.game.settings else None
        if limit is None:
            return
        self._tick()
        self._ticker = self.set_interval(TICK_S, self._tick)

    def _stop_countdown(self) -> None:
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _tick(self) -> None:
        left = self.game.time_left()  # None: no round, or its clock is paused
        if left is None or self.game.settings is None:
            return
        if left <= 0:
            self._answered(self.game.time_out())
            return
        self.query_one(RoundView).set_countdown(left, self.game.settings.time_limit or 0.0)

    def on_key(self, event: Key) -> None:
        if self.phase != QuizPhase.ROUND or self.quiz is None:
            return
        char = event.character
        binding = self.app.active_bindings.get(event.key)
        bound = binding is not None and binding.enabled
        if char is None or not is_answer(char, event.is_printable, bound, self.alphabet.labels):
            return
        event.stop()
        event.prevent_default()
        outcome = self.game.answer(char)
        if isinstance(outcome, NotAnAnswer):
            self.query_one(RoundView).set_hint(not_a_letter(outcome.key, outcome.hint))
            self.app.bell()
            return
        self._answered(outcome)

    def action_answer_keys(self) -> None:
        # Only reached for the footer's "Answer" entry when 'a' is no label: say what to do.
        self.query_one(RoundView).set_hint(answer_hint(self.alphabet.labels) + ".")

    def _answered(self, result: Result) -> None:
        assert self.quiz is not None
        self._stop_countdown()
        reveal = self._view(RevealView)
        reveal.show(
            result, self.alphabet, output=self.quiz.network.output, network=self.quiz.network
        )
        reveal.set_footer(reveal_footer(self.quiz))

    def action_why(self) -> None:
        self._view(RevealView).toggle_why()
        self.refresh_bindings()

    def action_look_inside(self, index: int) -> None:
        from letter_tui.app.screens.inside import open_unit

        reveal = self._view(RevealView)
        if self.quiz is not None and index < len(reveal.units):
            open_unit(self.app, self.quiz.network, self.alphabet, reveal.units[index])

    def action_next(self) -> None:
        if not self.game.allows("next"):
            return
        step = self.game.next()
        if isinstance(step, Round):
            self._show_round(step)
        else:
            self._finish(step)

    # --- the end --------------------------------------------------------------------------

    def _finish(self, record: GameRecord) -> None:
        quiz = self.quiz
        assert quiz is not None
        view = self._view(SummaryView)
        view.show(quiz.summary(), self.player, self.alphabet.labels)
        view.set_status(Text("Saving the score...", style="dim"))
        self._save_worker(record)

    @work(thread=True, exclusive=True, exit_on_error=False, group="quiz-save")
    def _save_worker(self, record: GameRecord) -> None:
        path = paths.scores_path(self.app.data_root)
        self.post_message(save_game(path, record))

    def on_saved(self, message: Saved) -> None:
        self.saved_id = message.game_id
        record = message.record
        self.app.last_game = (record.alphabet, record.level, message.game_id)
        self._view(SummaryView).set_status(message.text())

    def on_not_saved(self, message: NotSaved) -> None:
        text = Text(f"score not saved: {message.reason}", style="bold red")
        self._view(SummaryView).set_status(text)

    def on_summary_view_round_chosen(self, message: SummaryView.RoundChosen) -> None:
        network = self.quiz.network if self.quiz is not None else None
        self.app.push_screen(ReplayScreen(message.result, self.alphabet, network))

    def action_new_game(self) -> None:
        if self.game.allows("new_game"):
            self.new_game()

    def action_board(self) -> None:
        # The game is over: the leaderboard's "Play" (or Quiz from Home) starts the next one,
        # as coming back after escape does.
        self._restart = True
        self.app.action_activity("leaderboard")

    def action_leave(self) -> None:
        if self.phase == QuizPhase.TRAINING:
            self._go_home()
            return
        if not self.game.playing or self.quiz is None:
            self.app.action_activity("home")
            return
        done = len(self.quiz.results)

        def decided(choice: str | None) -> None:
            if choice == "leave":
                self._go_home()
                self.notify("Game abandoned: nothing was saved.", timeout=4)

        self.app.push_screen(
            ChoiceScreen(
                "Leave this game?",
                leave_question(done, self.quiz.rounds),
                [("y", "Leave", "leave")],
                cancel="Keep playing",
            ),
            decided,
        )
