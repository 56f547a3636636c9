"""Draw, the quiz summary's replay and Inside's forward pass, read back off a real terminal.

Each test drives the installed `letter-tui` in a pseudo-terminal (see screen_reading.py), reads
the letter grids off the screen by their colours after every step, and compares them with the
game's own state: the alphabet files, the seeded rounds (make_round) and the model's forward
pass. None of them looks at a widget's attributes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from screen_reading import (
    DOWN,
    ENTER,
    ESCAPE,
    LEFT,
    RIGHT,
    Terminal,
    pty_env,
    with_model,
)

from letter_tui.core.alphabet import Alphabet, load_alphabet_file, load_bundled
from letter_tui.core.noise import flip
from letter_tui.core.quiz import make_round

EXE = Path(sys.executable).with_name("letter-tui")
TAB, SHIFT_TAB, PAGE_UP, PAGE_DOWN = "\t", "\x1b[Z", "\x1b[5~", "\x1b[6~"
CTRL_S, CTRL_Y, CTRL_Z = "\x13", "\x19", "\x1a"
JUMP_PROMPT = "Jump to which letter?"

pytestmark = pytest.mark.skipif(not EXE.exists(), reason="letter-tui is not installed")


# --- Draw -------------------------------------------------------------------------------------
State = tuple[tuple[str, ...], tuple[tuple[int, ...], ...], int]


class Drawing:
    """What Draw should show, kept by the test from the keys it sends: the letters and their
    pixels, the current letter, the cursor, and the undo and redo stacks (whole states, as
    Draw keeps them)."""

    def __init__(self, alphabet: Alphabet) -> None:
        self.alphabet = alphabet
        self.labels = list(alphabet.labels)
        self.bitmaps = list(alphabet.bitmaps)
        self.index = 0
        self.cursor = (0, 0)
        self.undo: list[State] = []
        self.redo: list[State] = []

    @property
    def title(self) -> str:
        return f"Letter {self.labels[self.index]} ({self.index + 1}/{len(self.labels)})"

    @property
    def bitmap(self) -> tuple[int, ...]:
        return self.bitmaps[self.index]

    def _state(self) -> State:
        return tuple(self.labels), tuple(self.bitmaps), self.index

    def _restore(self, state: State) -> None:
        labels, bitmaps, index = state
        self.labels, self.bitmaps = list(labels), list(bitmaps)
        self.index = min(index, len(labels) - 1)

    def go(self, step: int) -> None:
        self.index = (self.index + step) % len(self.labels)

    def jump(self, label: str) -> None:
        self.index = self.labels.index(label)

    def move(self, dr: int, dc: int) -> None:
        a = self.alphabet
        row, col = self.cursor
        self.cursor = (max(0, min(a.rows - 1, row + dr)), max(0, min(a.cols - 1, col + dc)))

    def commit(self, labels: list[str], bitmaps: list[tuple[int, ...]]) -> None:
        self.undo.append(self._state())
        self.redo.clear()
        self._restore((tuple(labels), tuple(bitmaps), self.index))

    def edit(self, bitmap: tuple[int, ...]) -> None:
        bitmaps = list(self.bitmaps)
        bitmaps[self.index] = bitmap
        self.commit(self.labels, bitmaps)

    def toggle(self) -> None:
        row, col = self.cursor
        pixels = list(self.bitmap)
        pixels[row * self.alphabet.cols + col] ^= 1
        self.edit(tuple(pixels))

    def invert(self) -> None:
        self.edit(tuple(1 - v for v in self.bitmap))

    def delete(self) -> None:
        i = self.index
        self.commit(
            self.labels[:i] + self.labels[i + 1 :], self.bitmaps[:i] + self.bitmaps[i + 1 :]
        )

    def reset(self) -> None:
        self.commit(list(self.alphabet.labels), list(self.alphabet.bitmaps))

    def undo_once(self) -> None:
        self.redo.append(self._state())
        self._restore(self.undo.pop())

    def redo_once(self) -> None:
        self.undo.append(self._state())
        self._restore(self.redo.pop())


def test_draw_shows_each_letter_after_moves_edits_undo_and_resizes(tmp_path: Path) -> None:
    alphabet = load_bundled("az")
    shape = (alphabet.rows, alphabet.cols)
    d = Drawing(alphabet)
    term = Terminal(
        [str(EXE), "--alphabet", "az", "draw"], pty_env({"LETTER_TUI_DATA_DIR": str(tmp_path)})
    )

    def step(keys: str, change, *args: object) -> None:
        """Send `keys`, apply the same change to the test's drawing, read the grid back."""
        change(*args)
        if keys.startswith("/"):  # as a person types: the letter once Draw asks for it
            term.send("/")
            term.wait_for(JUMP_PROMPT)
            keys = keys[1:]
        elif keys in ("x", "R"):  # delete and reset ask first; y answers yes
            term.send(keys)
            term.wait_for("(y)")
            keys = "y"
        term.send(keys)
        term.wait_grid(d.title, d.bitmap, shape, f"after {keys!r}")

    try:
        term.wait_grid(d.title, d.bitmap, shape, "at start")
        # Moving between letters: next and previous (both keys each), wrapping, and '/'.
        step(TAB, d.go, 1)
        step(TAB, d.go, 1)
        step(SHIFT_TAB, d.go, -1)
        step(PAGE_UP, d.go, -1)
        step(PAGE_UP, d.go, -1)  # A back to Z
        step(PAGE_DOWN, d.go, 1)
        step("/q", d.jump, "Q")
        step("/m", d.jump, "M")  # a lower-case label finds the capital
        # Toggling pixels (the cursor moves first, unseen by the grid's pixels) and inverting.
        for key, (dr, dc) in ((RIGHT, (0, 1)), (RIGHT, (0, 1)), (DOWN, (1, 0))):
            d.move(dr, dc)
            term.send(key)
        step(" ", d.toggle)
        for _ in range(2):
            d.move(1, 0)
            term.send(DOWN)
        step(" ", d.toggle)
        step("i", d.invert)
        # Undo and redo, from another letter: undo brings back the letter it edits.
        step(TAB, d.go, 1)
        step(CTRL_Z, d.undo_once)
        step(CTRL_Z, d.undo_once)
        step(CTRL_Y, d.redo_once)
        step(CTRL_Y, d.redo_once)
        # Resizes, with moves and edits between them.
        term.resize(120, 40)
        term.wait_grid(d.title, d.bitmap, shape, "at 120x40")
        step("/w", d.jump, "W")
        d.move(0, -1)
        term.send(LEFT)
        step(" ", d.toggle)
        term.resize(80, 24)
        term.wait_grid(d.title, d.bitmap, shape, "back at 80x24")
        step(CTRL_Z, d.undo_once)
        step(SHIFT_TAB, d.go, -1)
        step("/M", d.jump, "M")
        # Whole-alphabet changes behind a question: delete a letter, reset to the bundled one.
        step("x", d.delete)
        step(PAGE_DOWN, d.go, 1)
        step(CTRL_Z, d.undo_once)
        step("R", d.reset)
        step(CTRL_Z, d.undo_once)
        # What was drawn is what is saved.
        term.send(CTRL_S)
        term.wait_for(f"Saved {len(alphabet)} letters")
        saved = load_alphabet_file(tmp_path / "alphabets" / "az.txt")
        assert (saved.labels, saved.bitmaps) == (tuple(d.labels), tuple(d.bitmaps))
        assert saved.bitmaps != alphabet.bitmaps
        assert term.quit() == 0
    finally:
        term.close()


def test_draw_jumps_when_slash_and_letter_arrive_together(tmp_path: Path) -> None:
    alphabet = load_bundled("az")
    env = pty_env({"LETTER_TUI_DATA_DIR": str(tmp_path)})
    term = Terminal([str(EXE), "--alphabet", "az", "draw"], env)
    try:
        term.wait_for("Letter A (1/26)")
        term.settle()
        term.send("/q")
        term.wait_until(
            lambda: any(s in "\n".join(term.screen.display) for s in ("Letter Q.", JUMP_PROMPT)),
            "a jump or its prompt",
        )
        term.settle()
        assert "Letter Q (17/26)" in term.text()
        assert term.grid("Letter Q (", (alphabet.rows, alphabet.cols)) == alphabet.bitmap("Q")
    finally:
        term.close()


# --- the quiz summary's replay ----------------------------------------------------------------
def test_the_summary_replays_each_round_as_it_was_played(tmp_path: Path) -> None:
    """Every round answered so that only one of player and network is right, so the summary
    lists all six; each is opened again and its grids read, across a resize."""
    alphabet = load_bundled("abc")
    shape, labels = (alphabet.rows, alphabet.cols), alphabet.labels
    network = with_model(tmp_path, "abc").network
    seed, noise, rounds = 5, 0.3, 6
    argv = [str(EXE), "quiz", "--rounds", str(rounds), "--noise", str(noise)]
    argv += ["--seed", str(seed), "--name", "reader"]
    term = Terminal(argv, pty_env({"LETTER_TUI_DATA_DIR": str(tmp_path)}))
    try:
        played = [make_round(alphabet, network, seed, n, noise) for n in range(1, rounds + 1)]
        for rnd in played:
            # The rounds' own grids are test_quiz_screen_reading's; here only the replays'.
            term.wait_for(f"Round {rnd.number} of {rounds}")
            # Right exactly when the network is wrong.
            right = rnd.network_guess != rnd.letter
            answer = rnd.letter if right else (rnd.letter + 1) % len(labels)
            term.send(labels[answer].lower())
            term.wait_for(f"after {rnd.number} of {rounds}")
            term.send(ENTER)
        term.wait_for("Score saved")
        only_you = sum(r.network_guess != r.letter for r in played)
        assert f"Only you right: {only_you}, only the network: {rounds - only_you}" in term.text()
        for rnd in played:
            if rnd.number == 4:
                term.resize(120, 40)
            term.send(ENTER)
            term.wait_for(f"Round {rnd.number} again")
            what = f"replay of round {rnd.number}"
            truth = f"It was {labels[rnd.letter]}"
            term.wait_grid("You saw", rnd.bitmap, shape, what)
            term.wait_grid(truth, rnd.clean, shape, what)
            flipped = sum(a != b for a, b in zip(rnd.bitmap, rnd.clean, strict=True))
            assert f"{flipped} pixel{'s' * (flipped != 1)} flipped" in term.text(), what
            if rnd.number == 5:  # a resize while a replay is open
                term.resize(80, 24)
                term.wait_grid("You saw", rnd.bitmap, shape, f"{what} at 80x24")
                term.wait_grid(truth, rnd.clean, shape, f"{what} at 80x24")
            term.send(ESCAPE)
            term.wait_for("Score saved")
            term.send(DOWN)
        assert term.quit() == 0
    finally:
        term.close()


# --- Inside: the forward pass -------------------------------------------------------------------
def test_inside_forward_pass_shows_the_letter_it_reads(tmp_path: Path) -> None:
    alphabet = load_bundled("az")
    shape, labels = (alphabet.rows, alphabet.cols), alphabet.labels
    network = with_model(tmp_path, "az").network
    term = Terminal(
        [str(EXE), "--alphabet", "az", "train"], pty_env({"LETTER_TUI_DATA_DIR": str(tmp_path)})
    )
    state = {"letter": 0, "noise": 0.0, "seed": 0}

    def check(what: str) -> None:
        """The input grid is the letter (with Inside's seeded noise); the outputs name what
        the model's own forward pass reads."""
        i = state["letter"] % len(labels)
        bitmap = alphabet.bitmaps[i]
        if state["noise"]:
            rng = np.random.default_rng((state["seed"], i))
            noisy = flip(np.asarray([bitmap], dtype=np.float64), state["noise"], rng)[0]
            bitmap = tuple(int(v) for v in noisy)
        term.wait_grid(f"Input {labels[i]}", bitmap, shape, what)
        outputs = network.predict_proba(np.asarray(bitmap, dtype=np.float64))
        top2 = np.sort(outputs)[-2:]
        if top2[1] - top2[0] > 1e-3:  # a near tie could go either way on another machine
            best = labels[int(np.argmax(outputs))]
            assert f"reads it as {best}" in term.text(), f"{what}: outputs"

    def press(keys: str, what: str, **change: float) -> None:
        state.update(change)
        term.send(keys)
        check(what)

    try:
        term.wait_for("i Inside")
        term.send("i")
        term.wait_for("2 Forward pass")
        press("2", "the forward pass page")
        for n in range(1, 4):
            press("]", f"] number {n}", letter=n)
        press("[", "[", letter=2)
        press("[[[", "[ past A", letter=-1)  # wraps to Z
        press("]]", "] past Z", letter=1)
        press("++++", "noise 0.20", noise=0.2)
        term.wait_for("noise 0.20")
        press("]", "] with noise", letter=2)
        press("r", "new noise", seed=1)
        press("----", "no noise", noise=0.0)
        term.resize(120, 40)
        check("at 120x40")
        press("]", "] at 120x40", letter=3)
        term.resize(80, 24)
        check("back at 80x24")
        term.send("3")
        term.wait_for("Accuracy against noise")
        press("2", "back from the noise page")
        press("]", "] after the page switch", letter=4)
        assert term.quit() == 0
    finally:
        term.close()
