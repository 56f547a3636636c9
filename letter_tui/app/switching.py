"""Switching the app to another alphabet: pick it, ask first when something would be lost, switch.

Everything an activity holds belongs to the alphabet it was built with (Draw's undo history, a
quiz under way, a training run, Inside's network, Scores' board), so a switch rebuilds every
activity: each mode's screens are removed and built afresh on the new alphabet the next time
they are shown, exactly as at start-up. The user stays in the activity they switched from.
The workspace changes in one call (`Workspace.switch_alphabet`), and the new alphabet's saved
model is read in a thread as at start-up (or "no model yet" is shown).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from letter_tui.core.alphabet import Alphabet

from .screens.alphabet_picker import AlphabetPicker, Picked
from .screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from .app import LetterTuiApp


def offered(app: LetterTuiApp) -> bool:
    """A remote player may not write files (a bundled alphabet's first copy): not for them."""
    return not app.remote


def pick(app: LetterTuiApp) -> None:
    """Open the picker; what is picked is confirmed (when something would be lost), then used."""
    if not offered(app) or isinstance(app.screen, AlphabetPicker | ChoiceScreen):
        return

    def picked(found: Picked | None) -> None:
        if found is not None:
            confirm(app, *found)

    app.push_screen(AlphabetPicker(app.data_root, app.alphabet.name, app.alphabet_path), picked)


def losses(app: LetterTuiApp) -> list[str]:
    """What switching now would lose, one sentence each (empty: nothing)."""
    lost: list[str] = []
    if app.dirty:
        lost.append(f"Alphabet '{app.alphabet.name}' has unsaved changes ({app.save_path}).")
    for note in list(app.switch_notes.values()):
        said = note()
        if said:
            lost.append(said)
    lost.extend(app.unfinished.values())
    return lost


def confirm(app: LetterTuiApp, alphabet: Alphabet, path: Path) -> None:
    """Switch at once when nothing would be lost; otherwise ask, naming what would be."""
    lost = losses(app)
    if not lost:
        app.call_later(switch, app, alphabet, path)
        return
    choices = [("y", "Switch", "switch")]
    if app.dirty:
        choices.insert(0, ("s", "Save and switch", "save"))
    question = ChoiceScreen(
        f"Switch to alphabet '{alphabet.name}'?",
        " ".join(lost) + " Switching loses this.",
        choices,
        cancel="Stay",
    )

    def decided(result: str | None) -> None:
        if result == "save":
            try:
                app.save_alphabet()
            except OSError as error:
                app.notify(f"Not saved, not switched: {error}", severity="error", markup=False)
                return
        if result in ("save", "switch"):
            # On the app's own queue: the screen that asked is removed by the switch.
            app.call_later(switch, app, alphabet, path)

    app.push_screen(question, decided)


async def switch(app: LetterTuiApp, alphabet: Alphabet, path: Path) -> None:
    """Work on `alphabet` (saved at `path`) from now on; every activity starts afresh on it."""
    back = app.current_mode
    if back != "home":
        await app.switch_mode("home")
    for activity in app.activities:
        if activity.mode == "home":
            continue  # it shows the shared state and follows it
        # Removing a mode removes its screens (a run or a quiz ends with them); the next
        # visit builds them again, on the new alphabet.
        await app.remove_mode(activity.mode)
        app.add_mode(activity.mode, activity.make_screen)
        app.set_unfinished(activity.mode, None)
        app.set_leave_check(activity.mode, None)
        app.switch_notes.pop(activity.mode, None)
    app.start_letter = None
    app.last_game = None  # Scores opens on the new alphabet's board
    app.workspace.switch_alphabet(alphabet, path)
    app.set_model(None)
    app.model_loading = True
    app.alphabet = alphabet
    app.load_model_for(alphabet.name)
    app.check_size()
    if back != "home" and app.has_activity(back):
        await app.switch_mode(back)
    # The path on a line of its own: wrapped mid-sentence it broke at its first '/'.
    app.notify(f"Switched to alphabet '{alphabet.name}', its file:\n{path}", markup=False)
