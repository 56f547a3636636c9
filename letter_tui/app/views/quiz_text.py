"""What the quiz screen says between the widgets' own text, without Textual: the idle and
training notes, which keys answer, the reveal's score line, the leave question."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from letter_tui.app.views.terminal_text import safe_text
from letter_tui.core.quiz import Quiz

IDLE = "No game running. Press n to start one, escape for the home screen."


def training_note(problem: str | None, alphabet: str) -> str:
    """Why a model is trained before the game, and that it is."""
    why = (
        f"The model is out of date ({problem})."
        if problem
        else f"No model is trained for alphabet '{alphabet}' yet."
    )
    return f"{why}\nTraining one with the alphabet's default settings first..."


def is_label(char: str, labels: Sequence[str]) -> bool:
    """Whether `char` answers with one of `labels` (case does not matter)."""
    return char.casefold() in {x.casefold() for x in labels}


def is_answer(char: str | None, printable: bool, bound: bool, labels: Sequence[str]) -> bool:
    """Whether a key answers the round. Only a single printable character can, so enter,
    escape and ctrl keys keep their bindings; a key `bound` on the screen (like ? for help)
    keeps it unless it is itself a label."""
    if not char or len(char) != 1 or not printable:
        return False
    return not bound or is_label(char, labels)


def not_a_letter(key: str, hint: str) -> str:
    # The key is shown as typed, made safe: it may be any character the terminal sent.
    return f"{safe_text(key)!r} is no letter here. {hint}."


def reveal_footer(quiz: Quiz) -> Text:
    """The reveal's last line: the score so far, and what enter does next."""
    more = "enter: the summary" if quiz.finished else "enter: next round"
    footer = Text(f"Score: you {quiz.player_score}, network {quiz.network_score}")
    footer.append(f" after {len(quiz.results)} of {quiz.rounds}.   ")
    footer.append(more, style="bold")
    return footer


def leave_question(done: int, rounds: int) -> str:
    return (
        f"{done} of {rounds} rounds played. A game is saved only when it "
        "is finished: leaving now saves nothing."
    )
