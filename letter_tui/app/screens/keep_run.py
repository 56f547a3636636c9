"""Keep or discard a run that did not finish: the question, with the verdict's table.

What the verdict says is measured in `views.keep_run` (plain NumPy, in the training thread).
"""

from __future__ import annotations

from pathlib import Path

from letter_tui.app.screens.choice import ChoiceScreen
from letter_tui.app.views.keep_run import Verdict, table
from letter_tui.app.views.run_text import epochs


class KeepRunScreen(ChoiceScreen):
    """Keep (k) saves this run in place of the saved model, Discard (d) drops it; escape
    goes back to the paused run. Dismissed with "keep", "discard" or None."""

    def __init__(
        self,
        verdict: Verdict,
        done: int,
        total: int,
        previous: Path,
        *,
        leaving: bool = False,
    ) -> None:
        why = "You are leaving Train with a run paused" if leaving else "This run stopped"
        if verdict.saved is None and verdict.saved_problem == "none saved yet":
            keep = "Keep saves it for Draw and Quiz"
        else:
            keep = f"Keep saves it in place of the saved model (kept as {previous.name})"
        lines = [f"{why} after {epochs(done)} of {total}. {keep}; Discard drops it.", ""]
        lines += table(verdict)
        super().__init__(
            "Keep this run's model?",
            "\n".join(lines),
            [("k", "Keep", "keep"), ("d", "Discard", "discard")],
            cancel="Stay on Train" if leaving else "Stay paused",
        )
