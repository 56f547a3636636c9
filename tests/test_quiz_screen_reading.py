"""A whole quiz read back off a real terminal: every grid a player sees is the round's letter.

The grids are read by their colours from a pyte screen fed by a pseudo-terminal (see
screen_reading.py) and compared with the game's own rounds, recomputed from the seed. This is
the test that saw the quiz drawing the previous round's pixels from round 2 on.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from screen_reading import ENTER, Terminal, picture, pty_env

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.model_io import load_model
from letter_tui.core.quiz import make_round

EXE = Path(sys.executable).with_name("letter-tui")
ROUNDS = 6


def play_and_read(
    tmp_path: Path, alphabet_name: str, noise: float, seed: int, sizes: list[tuple[int, int]]
) -> None:
    """Play a seeded game, answering the first label every round; `sizes` gives the terminal
    size per round (a change resizes the terminal mid-game, before the round is read)."""
    alphabet = load_bundled(alphabet_name)
    shape, labels = (alphabet.rows, alphabet.cols), alphabet.labels
    argv = [str(EXE), "--alphabet", alphabet_name, "quiz", "--rounds", str(ROUNDS)]
    argv += ["--noise", str(noise), "--seed", str(seed), "--name", "reader"]
    cols, rows = sizes[0]
    term = Terminal(argv, pty_env({"LETTER_TUI_DATA_DIR": str(tmp_path)}), cols, rows)
    try:
        term.wait_for(f"Round 1 of {ROUNDS}", timeout=60)  # the first start trains a model
        network = load_model(tmp_path / "models" / f"{alphabet_name}.npz").network
        for n in range(1, ROUNDS + 1):
            if sizes[n - 1] != (cols, rows):
                cols, rows = sizes[n - 1]
                term.resize(cols, rows)
            term.wait_for(f"Round {n} of {ROUNDS}")
            term.settle()
            rnd = make_round(alphabet, network, seed, n, noise)
            seen = term.grid("Which letter is this?", shape)
            assert seen == rnd.bitmap, (
                f"round {n} ({cols}x{rows}) shows\n{picture(seen, shape[1])}\n"
                f"but played\n{picture(rnd.bitmap, shape[1])}"
            )
            term.send(labels[0].lower())
            term.wait_for(f"after {n} of {ROUNDS}")
            term.settle()
            title = f"It was {labels[rnd.letter]}"
            assert term.grid("You saw", shape) == rnd.bitmap, f"round {n}: 'You saw'"
            assert term.grid(title, shape) == rnd.clean, f"round {n}: {title!r}"
            flipped = sum(a != b for a, b in zip(rnd.bitmap, rnd.clean, strict=True))
            plural = "pixel" if flipped == 1 else "pixels"
            assert f"{flipped} {plural} flipped" in term.text(), f"round {n}: flip count"
            term.send(ENTER)
        term.wait_for("Score saved")
        assert term.quit() == 0
    finally:
        term.close()


pytestmark = pytest.mark.skipif(not EXE.exists(), reason="letter-tui is not installed")


@pytest.mark.parametrize(
    ("alphabet_name", "noise", "seed"),
    [("abc", 0.0, 5), ("abc", 0.2, 5), ("az", 0.0, 7), ("az", 0.1, 3)],
)
def test_every_round_shows_its_letter_at_80x24(
    tmp_path: Path, alphabet_name: str, noise: float, seed: int
) -> None:
    play_and_read(tmp_path, alphabet_name, noise, seed, [(80, 24)] * ROUNDS)


def test_every_round_shows_its_letter_at_120x40_and_across_resizes(tmp_path: Path) -> None:
    sizes = [(120, 40), (120, 40), (80, 24), (120, 40), (80, 24), (80, 24)]
    play_and_read(tmp_path, "az", 0.1, 11, sizes)
