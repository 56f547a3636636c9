"""The quiz's long work, run in thread workers: training a missing model, saving a game.

Neither touches a widget: each reports through messages posted with `post` (thread-safe).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual.message import Message

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.model_io import Model
from letter_tui.core.scores import GameRecord, ScoreStore, ScoreStoreError
from letter_tui.core.training import TrainingRun, default_settings
from letter_tui.services.workspace import train_and_save

PROGRESS_INTERVAL_S = 0.1


class TrainProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TrainProgress)


class TrainDone(Message):
    def __init__(self, model: Model, note: str | None) -> None:
        super().__init__()
        self.model = model
        self.note = note


class Saved(Message):
    def __init__(self, game_id: int, rank: int | None, games: int, record: GameRecord) -> None:
        super().__init__()
        self.game_id = game_id
        self.rank = rank
        self.games = games
        self.record = record

    def text(self) -> Text:
        """What the summary says about it."""
        text = Text("Score saved", style="bold")
        if self.rank is not None:
            text.append(
                f": place {self.rank} of {self.games} on the {self.record.alphabet} "
                f"{self.record.level} board."
            )
        return text


class NotSaved(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def train_model(
    alphabet: Alphabet,
    stop: threading.Event,
    save_to: Path | None,
    post: Callable[[Message], object],
) -> None:
    """Train with the alphabet's default settings, posting progress, then `TrainDone`
    (nothing when stopped). `save_to` None keeps the model in memory (remote players)."""
    run = TrainingRun(alphabet, default_settings(alphabet))
    try:
        trained = train_and_save(
            run,
            save_to,
            stop=stop,
            interval=PROGRESS_INTERVAL_S,
            on_update=lambda u: post(TrainProgress(u.epochs_done, u.epochs_total)),
        )
    except OSError as error:
        # The run is finished: the game plays with it, unsaved.
        note = f"Model not saved ({error.strerror or error}); it is used for this game."
        post(TrainDone(run.model(), note))
        return
    if trained.model is None:
        return  # stopped: the player left
    model, note = trained.model, None
    if trained.saved is not None:
        kept = trained.saved.note
        note = f"Model trained and saved as {save_to.name}." + (f" {kept}." if kept else "")
    post(TrainDone(model, note))


def save_game(path: Path, record: GameRecord) -> Saved | NotSaved:
    """Store the game; its place on its board when the store can say."""
    store = ScoreStore(path)
    try:
        game_id = store.save(record)
    except ScoreStoreError as error:
        return NotSaved(str(error))
    try:
        rank = store.rank(game_id)
        board = (record.alphabet, record.level)
        games = sum(n for a, lv, n in store.boards() if (a, lv) == board)
    except ScoreStoreError:
        rank, games = None, 0
    return Saved(game_id, rank, games, record)
