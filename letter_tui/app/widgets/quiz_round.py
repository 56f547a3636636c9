"""A quiz round on screen: the noisy letter drawn large, what to press, a countdown, a hint."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from letter_tui.app import palette
from letter_tui.app.widgets.letter_grid import LetterGrid
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.quiz import Quiz, Round

COUNTDOWN_WIDTH = 16
HURRY_S = 3.0


def ask_text(labels: tuple[str, ...], p: float) -> Text:
    text = Text("Press the key of the letter you see:\n\n", style="bold")
    text.append(" ".join(labels) if len(labels) <= 12 else f"{labels[0]} to {labels[-1]}")
    text.append(
        "\n\nThe network has already made its guess. Each pixel was flipped with "
        f"probability {p:.2f}.",
        style="dim",
    )
    return text


def countdown_text(left: float, limit: float) -> Text:
    filled = round(COUNTDOWN_WIDTH * max(0.0, left) / limit)
    text = Text("Time left ", style="bold")
    # The bar's length says it without colour; yellow only adds urgency.
    text.append(
        "█" * filled + "░" * (COUNTDOWN_WIDTH - filled), style="yellow" if left < HURRY_S else ""
    )
    text.append(f" {max(0.0, left):4.1f} s")
    return text


def status_text(quiz: Quiz | None, phase: str, player: str, alphabet: str) -> Text:
    """The line above every page: round, level and the running score (names as plain text)."""
    text = Text()
    if quiz is None or phase in ("idle", "training"):
        text.append(f"Quiz on alphabet {alphabet}", style="bold")
        if player:
            text.append(f", player {player}")
        return text
    if phase == "summary":
        plural = "round" if quiz.rounds == 1 else "rounds"
        text.append(f"Game over after {quiz.rounds} {plural}", style="bold")
    else:
        number = len(quiz.results) + (1 if phase == "round" else 0)
        text.append(f"Round {min(number, quiz.rounds)} of {quiz.rounds}", style="bold")
    text.append(f"  {quiz.settings.label}", style="dim")
    # The player's name sits beside "You" (after the score it read as the network's name);
    # each side in its palette colour, as on every chart.
    text.append("   You", style=f"bold {palette.YOU}")
    if player:
        text.append(f" ({player})", style=palette.YOU)
    text.append(f" {quiz.player_score} : {quiz.network_score} ")
    text.append("Network", style=f"bold {palette.NETWORK}")
    return text


class RoundView(Horizontal):
    DEFAULT_CSS = """
    RoundView {
        height: 1fr;
    }

    /* As in Draw, the letter grows with the room: 40 columns at 80x24 (scale 3), up to 50,
       where LetterGrid's largest scale (4, 48 columns) fits inside the border. */
    #noisy-box {
        width: 1fr;
        min-width: 40;
        max-width: 50;
        height: 1fr;
    }

    #ask-box {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
    }

    /* Fixed heights: a tick of the countdown or a key's hint only repaints its line(s); with
       `auto` every key pressed laid the whole screen out again (most of a key's cost). */
    #countdown {
        height: 1;
        margin-top: 1;
    }

    #hint {
        height: 3;
        margin-top: 1;
        color: $text-warning;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="noisy-box", classes="panel"):
            yield LetterGrid(id="noisy-grid")
        with Vertical(id="ask-box", classes="panel"):
            yield Static("", id="ask")
            yield Static("", id="countdown")
            yield Static("", id="hint")

    def on_mount(self) -> None:
        self.query_one("#noisy-box").border_title = "Which letter is this?"

    def show(self, rnd: Round, alphabet: Alphabet) -> None:
        grid = self.query_one(LetterGrid)
        grid.shape = (alphabet.rows, alphabet.cols)
        grid.bitmap = rnd.bitmap
        grid.cursor = (-1, -1)  # nothing is edited here
        self.query_one("#noisy-box").border_subtitle = f"noise {rnd.p:.2f}"
        self.query_one("#ask", Static).update(ask_text(alphabet.labels, rnd.p))
        self.set_hint("")
        self.set_countdown(None, None)

    def set_countdown(self, left: float | None, limit: float | None) -> None:
        text = countdown_text(left, limit) if left is not None and limit else Text()
        self.query_one("#countdown", Static).update(text, layout=False)

    def set_hint(self, hint: str) -> None:
        self.query_one("#hint", Static).update(Text(hint), layout=False)
