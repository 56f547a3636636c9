"""The activities registry: one entry per top-level activity of the app.

Everything that lists activities is built from `ACTIVITIES`: the app's `MODES`, the home
screen's menu, the global switching keys, the command palette and the help index. Adding an
activity is one entry here (and its screen module). `remote=True` marks an activity that may be
offered to players connecting over SSH: it must never change files on the server.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class Activity:
    mode: str
    """The Textual mode name, also the CLI's (`letter-tui draw` opens mode "draw")."""
    title: str
    description: str
    """One line for the home menu and the command palette."""
    key: str
    """The key that opens it on the home screen."""
    screen: str
    """"module:Class" of its screen, imported on first use to keep start-up fast."""
    global_key: str = ""
    """A key that switches to it from anywhere ("" for none); function keys avoid clashing
    with the letter keys that screens use as commands."""
    remote: bool = False
    in_menu: bool = True

    def screen_class(self) -> type[Screen]:
        module, _, name = self.screen.partition(":")
        return getattr(importlib.import_module(module), name)

    def make_screen(self) -> Screen:
        return self.screen_class()()


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        mode="home",
        title="Home",
        description="what the game is and where to go",
        key="escape",
        global_key="f2",
        screen="letter_tui.app.screens.home:HomeScreen",
        remote=True,
        in_menu=False,
    ),
    Activity(
        mode="draw",
        title="Draw",
        description="edit the letters pixel by pixel and watch the network guess",
        key="d",
        global_key="f3",
        screen="letter_tui.app.screens.draw:DrawScreen",
    ),
    Activity(
        mode="train",
        title="Train",
        description="train the network, watch it learn, look inside it",
        key="t",
        global_key="f4",
        screen="letter_tui.app.screens.train:TrainScreen",
    ),
    Activity(
        mode="lesson",
        title="Lesson",
        description="the tutorial's seven steps: its code and the live values",
        key="l",
        global_key="f7",
        screen="letter_tui.app.screens.lesson:LessonScreen",
    ),
    Activity(
        mode="quiz",
        title="Quiz",
        description="guess noisy letters against the network",
        key="q",
        global_key="f5",
        screen="letter_tui.app.screens.quiz:QuizScreen",
        remote=True,
    ),
    Activity(
        mode="leaderboard",
        title="Scores",
        description="the leaderboard, and how accuracy falls with noise",
        key="s",
        global_key="f6",
        screen="letter_tui.app.screens.leaderboard:LeaderboardScreen",
        remote=True,
    ),
    Activity(
        mode="fool",
        title="Fool",
        description="flip pixels until the network misreads a letter",
        key="f",
        screen="letter_tui.app.screens.fool:FoolScreen",
    ),
    Activity(
        mode="help",
        title="Help",
        description="how the game works and every key",
        key="h",
        screen="letter_tui.app.screens.help:HelpScreen",
        remote=True,
    ),
)


def available(remote: bool, activities: Iterable[Activity] = ACTIVITIES) -> tuple[Activity, ...]:
    """The activities one app may offer: all of them locally, only remote-safe ones over SSH."""
    return tuple(a for a in activities if a.remote or not remote)
