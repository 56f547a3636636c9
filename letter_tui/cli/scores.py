"""`letter-tui scores`: the leaderboard as text of at most 80 columns."""

from __future__ import annotations

import argparse
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from letter_tui.cli.commands import data_root


def display_width(text: str) -> int:
    """Terminal cells `text` takes: wide East Asian characters take two, combining marks none."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _fit(text: str, width: int) -> str:
    """`text` made terminal-safe, cut and padded to exactly `width` cells."""
    from letter_tui.app.views.terminal_text import safe_text

    text = safe_text(text)
    if display_width(text) > width:
        while display_width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - display_width(text))


BOARD_HEADER = f"  #  {'Name':<20}  Score  Acc.  Avg time  Network  Noise  Played (UTC)"


def format_board(entries: Sequence, games: int) -> list[str]:
    """A leaderboard as lines of at most 80 columns; every stored text is made safe."""
    lines = [BOARD_HEADER]
    for e in entries:
        seconds = e.mean_answer_ms / 1000
        speed = "-" if seconds != seconds else f"{seconds:.1f} s"
        lines.append(
            f"{e.rank:>3}  {_fit(e.name, 20)}  {e.user_correct:>2}/{e.rounds:<2} "
            f"{e.accuracy:>5.0%}  {speed:>8}  {e.network_correct:>3}/{e.rounds:<3} "
            f"{e.mean_noise:>6.2f}  {_fit(e.played_at[:10], 10)}"
        )
    if games > len(entries):
        lines.append(f"     ... and {games - len(entries)} more")
    return lines


def cmd_scores(args: argparse.Namespace) -> int:
    from letter_tui.app.views.terminal_text import safe_text
    from letter_tui.core.alphabet import is_path_like
    from letter_tui.core.paths import scores_path
    from letter_tui.core.quiz import level_label
    from letter_tui.core.scores import ScoreStore

    path = scores_path(data_root(args))
    where = safe_text(str(path))
    store = ScoreStore(path)
    if not store.exists():
        print(f"No scores yet: {where} does not exist. Play a game with 'letter-tui quiz'.")
        return 0
    spec = getattr(args, "alphabet", None)
    # Scores are kept by the alphabet's name: a path needs no file to find its games.
    alphabet = (Path(spec).stem if is_path_like(spec) else spec) if spec else None
    level = (
        level_label(args.level or "", args.noise)
        if (args.level or args.noise is not None)
        else None
    )
    boards = [
        (a, lv, n)
        for a, lv, n in store.boards()
        if (alphabet is None or a == alphabet) and (level is None or lv == level)
    ]
    if not boards:
        asked = " ".join(
            part
            for part in (
                f"of alphabet '{safe_text(alphabet)}'" if alphabet else "",
                f"at level '{level}'" if level else "",
            )
            if part
        )
        print(
            f"No games {asked + ' ' if asked else ''}in {where} yet. Play with 'letter-tui quiz'."
        )
        return 0
    for i, (name, lv, games) in enumerate(boards):
        if i:
            print()
        plural = "game" if games == 1 else "games"
        print(f"Alphabet {safe_text(name)}, level {safe_text(lv)}: {games} {plural}")
        for line in format_board(store.leaderboard(name, lv), games):
            print(line)
    return 0
