"""The lesson: the tutorial's seven steps on a live network, as text.

A `Lesson` holds the network at some epoch and the values the epoch about to run computes
(`reference.reference_step`). `pages()` turns them into seven pages, each the step's code as
shipped (core/reference.py) and its values, name and shape beside every array. The headless
`letter-tui lesson` prints the pages; the app's Lesson screen shows them. Plain strings only:
no Textual here.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from letter_tui.core import reference
from letter_tui.core.alphabet import Alphabet
from letter_tui.core.lesson_format import bitmap_rows, heatmap_rows, number_format, whole
from letter_tui.core.reference import Step, reference_step, sigmoid, sigmoid_derivative

SHOWN_LETTERS = 3  # the tutorial's three letters; bigger alphabets are shown a few at a time
SHOWN_UNITS = 5  # the tutorial's five hidden units
LOG_EVERY = 1000  # the tutorial prints its loss when epoch % 1000 == 0
MAX_LOG = 200  # log lines kept for Step 6

TITLES = (
    "Preparing the dataset",
    "The architecture and the initial weights",
    "The activation functions",
    "Forward propagation",
    "Backpropagation",
    "Training",
    "Making predictions",
)
CODE: tuple[tuple[Callable, ...], ...] = (
    (reference.prepare_dataset,),
    (reference.initial_weights,),
    (reference.sigmoid, reference.sigmoid_derivative),
    (reference.forward,),
    (reference.backward, reference.update),
    (reference.train,),
    (reference.predict,),
)


def step_code(number: int) -> str:
    """The source of step `number` (1 to 7) as shipped in core/reference.py."""
    return "\n\n".join(inspect.getsource(f).rstrip() for f in CODE[number - 1])


def tutorial_line(epoch: int, loss: float) -> str:
    """The tutorial's log line: print(f"Epoch {epoch}, Loss: {loss}")."""
    return f"Epoch {epoch}, Loss: {loss}"


@dataclass(frozen=True)
class Page:
    number: int  # 1 to 7, as the tutorial numbers its steps
    title: str
    code: str
    lines: tuple[str, ...]
    header: tuple[str, ...] = ()  # the epoch and the network; which letters and units show

    @property
    def heading(self) -> str:
        return f"Step {self.number}: {self.title}"


def lesson_settings(alphabet: Alphabet) -> tuple[int, float, int]:
    """Hidden units, learning rate and seed: the tutorial's for abc; for other alphabets the
    app's hidden units and rate, with the tutorial's sigmoid network and full batch."""
    if alphabet.name == "abc":
        return 5, 0.1, 42
    from letter_tui.core.training import default_settings

    settings = default_settings(alphabet)
    return settings.hidden, settings.learning_rate, 42


class Lesson:
    """The tutorial's network at `epoch`, and the step that epoch runs (`self.step`)."""

    def __init__(
        self,
        alphabet: Alphabet,
        hidden: int = 5,
        learning_rate: float = 0.1,
        seed: int = 42,
    ) -> None:
        self.alphabet = alphabet
        self.hidden = hidden
        self.learning_rate = learning_rate
        self.seed = seed
        self.X, self.y = reference.prepare_dataset(alphabet)
        self.letters = 0  # the first letter shown (a few at a time)
        self.units = 0  # the first hidden unit shown
        self.source = "fresh"  # or "trained": started from the saved model's weights
        self.reset()

    @classmethod
    def for_alphabet(cls, alphabet: Alphabet) -> Lesson:
        hidden, learning_rate, seed = lesson_settings(alphabet)
        return cls(alphabet, hidden, learning_rate, seed)

    def reset(self) -> None:
        """Back to epoch 0: the initial weights the seed draws."""
        self.source = "fresh"
        sizes = (self.X.shape[1], self.hidden, self.y.shape[1])
        weights = reference.initial_weights(sizes, self.seed)
        self._start(weights, 0)

    def use_weights(self, weights: Sequence[np.ndarray], epoch: int) -> None:
        """Continue from trained weights (W1, b1, W2, b2) at `epoch`."""
        W1, b1, W2, b2 = (np.array(w, dtype=np.float64) for w in weights)
        if W1.shape != (self.X.shape[1], W1.shape[1]) or W2.shape[1] != self.y.shape[1]:
            raise ValueError("the weights do not fit this alphabet")
        self.hidden = W1.shape[1]
        self.units = 0
        self.source = "trained"
        self._start((W1, b1, W2, b2), epoch)

    def _start(self, weights: Sequence[np.ndarray], epoch: int) -> None:
        self.epoch = epoch
        self.log: list[str] = []
        self.step: Step = reference_step(self.X, self.y, *weights, self.learning_rate)

    def run(self, epochs: int) -> None:
        """Run `epochs` epochs (forward, backward, update), logging as the tutorial does."""
        s = self.step
        # Step 6's code itself: the tutorial's loop, its printed lines kept for the page.
        log: list[str] = []
        weights = reference.train(
            self.X, self.y, (s.W1, s.b1, s.W2, s.b2), epochs, self.learning_rate, self.epoch,
            log.append,
        )  # fmt: skip
        step = reference_step(self.X, self.y, *weights, self.learning_rate)
        # One assignment each, in this order: a page drawn meanwhile is at most one step stale.
        self.log = (self.log + log)[-MAX_LOG:]
        self.step, self.epoch = step, self.epoch + epochs

    # --- which letters and units are shown -------------------------------------------------

    def shown_letters(self) -> list[int]:
        n = len(self.alphabet)
        return [(self.letters + i) % n for i in range(min(SHOWN_LETTERS, n))]

    def shown_units(self) -> list[int]:
        return [(self.units + i) % self.hidden for i in range(min(SHOWN_UNITS, self.hidden))]

    def next_letters(self) -> None:
        self.letters = (self.letters + SHOWN_LETTERS) % len(self.alphabet)

    def next_units(self) -> None:
        self.units = (self.units + SHOWN_UNITS) % self.hidden

    def window_note(self) -> str | None:
        """Which letters and units are shown, when not all of them are."""
        parts = []
        if len(self.alphabet) > SHOWN_LETTERS:
            labels = " ".join(self.alphabet.labels[i] for i in self.shown_letters())
            parts.append(f"letters {labels} of {len(self.alphabet)}")
        if self.hidden > SHOWN_UNITS:
            units = self.shown_units()
            parts.append(f"hidden units {units[0] + 1}-{units[-1] + 1} of {self.hidden}")
        return f"Showing {' and '.join(parts)}." if parts else None

    # --- the pages ---------------------------------------------------------------------------

    def pages(self) -> list[Page]:
        return [self.page(n) for n in range(1, len(TITLES) + 1)]

    def page(self, number: int) -> Page:
        """Page `number` (1 to 7): the step's code and its values now."""
        build = (
            self._dataset,
            self._weights,
            self._activations,
            self._forward,
            self._backward,
            self._training,
            self._predictions,
        )[number - 1]
        lines = tuple(build())
        return Page(number, TITLES[number - 1], step_code(number), lines, tuple(self._header()))

    def _header(self) -> list[str]:
        start = f"seed {self.seed}" if self.source == "fresh" else "the trained model"
        lines = [
            f"Epoch {self.epoch}: {self.hidden} hidden units, learning rate "
            f"{self.learning_rate:g}, started from {start}."
        ]
        note = self.window_note()
        return [*lines, note] if note else lines

    def _labels(self, rows: list[int]) -> list[str]:
        return [self.alphabet.labels[i] for i in rows]

    def _units(self, cols: list[int]) -> list[str]:
        return [f"h{j + 1}" for j in cols]

    def _array(
        self,
        name: str,
        array: np.ndarray,
        rows: list[int],
        cols: list[int],
        row_names: list[str],
        col_names: list[str],
        fmt: Callable[[float], str] | None = None,
    ) -> list[str]:
        """`name (shape)`, then the chosen rows and columns, rounded for reading."""
        part = array[np.ix_(rows, cols)]
        unit = ""
        if fmt is None:
            fmt, unit = number_format(part)
        cells = [[fmt(v) for v in row] for row in part]
        width = max([len(c) for row in cells for c in row] + [len(c) for c in col_names])
        label = max(len(r) for r in row_names)
        lines = [f"{name} {tuple(array.shape)}{unit}"]
        lines.append(" " * (label + 3) + " ".join(c.rjust(width) for c in col_names))
        for row_name, row in zip(row_names, cells, strict=True):
            lines.append(f"  {row_name.ljust(label)} " + " ".join(c.rjust(width) for c in row))
        return lines

    def _dataset(self) -> list[str]:
        a, s = self.alphabet, self.step
        letters = self.shown_letters()
        lines: list[str] = []
        lines.append(
            f"X {s.X.shape}: one row per letter, its {a.rows}x{a.cols} grid read row by row "
            "(# is 1, . is 0)."
        )
        grids = [bitmap_rows(a.bitmaps[i], a.rows, a.cols) for i in letters]
        lines.append("  ".join(label.ljust(a.cols) for label in self._labels(letters)))
        for r in range(a.rows):
            lines.append("  ".join(g[r] for g in grids))
        lines.append("")
        for i in letters:
            row = "".join(str(int(v)) for v in s.X[i])
            lines.append(f"  X[{i}] {a.labels[i]}: {row}")
        lines.append("")
        lines.append(f"y {s.y.shape}: one-hot, a 1 in each letter's own column")
        cols = letters
        lines += self._array(
            "y", s.y, letters, cols, self._labels(letters), self._labels(cols), whole
        )[1:]
        return lines

    def _weights(self) -> list[str]:
        a, s = self.alphabet, self.step
        units = self.shown_units()
        letters = self.shown_letters()
        lines: list[str] = []
        lines.append(f"input_size {a.size}, hidden_size {self.hidden}, output_size {len(a)}")
        lines.append(f"np.random.seed({self.seed}) drew the starting weights (x 0.01).")
        lines.append("")
        lines.append(f"W1 {s.W1.shape}: each hidden unit's weights, in the letter grid's shape")
        lines.append("(# strong +, + weak +, . near 0, - weak -, = strong -)")
        scale = float(np.max(np.abs(s.W1))) or 1.0
        maps = [heatmap_rows(s.W1[:, j] / scale, a.rows, a.cols) for j in units]
        lines.append("  ".join(f"h{j + 1}".ljust(max(a.cols, 3)) for j in units))
        for r in range(a.rows):
            lines.append("  ".join(m[r].ljust(max(a.cols, 3)) for m in maps))
        lines.append(f"(the largest weight in W1 is {scale:.4g} across)")
        lines.append("")
        lines += self._array("b1", s.b1, [0], units, ["b1"], self._units(units))
        lines.append("")
        lines += self._array("W2", s.W2, units, letters, self._units(units), self._labels(letters))
        lines.append("")
        lines += self._array("b2", s.b2, [0], letters, ["b2"], self._labels(letters))
        return lines

    def _activations(self) -> list[str]:
        s = self.step
        letters, units = self.shown_letters(), self.shown_units()
        rows, cols = self._labels(letters), self._units(units)
        lines: list[str] = []
        lines.append("The hidden units now, A1 = sigmoid(Z1), and their slopes:")
        lines += self._array("A1", s.A1, letters, units, rows, cols)
        lines += self._array(
            "sigmoid_derivative(A1)", sigmoid_derivative(s.A1), letters, units, rows, cols
        )
        lines.append("")
        lines.append(
            "sigmoid_derivative takes the activation A = sigmoid(Z), not Z: A * (1 - A) is "
            "the slope of the sigmoid at Z."
        )
        lines.append("")
        lines.append("sigmoid squashes any number into 0..1; its slope is largest at 0.")
        lines.append("   z   sigmoid(z)  sigmoid_derivative(sigmoid(z))")
        for z in (-4.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0):
            a = float(sigmoid(np.float64(z)))
            lines.append(f"{z:+5.1f}    {a:.4f}      {float(sigmoid_derivative(a)):.4f}")
        return lines

    def _forward(self) -> list[str]:
        s = self.step
        letters, units = self.shown_letters(), self.shown_units()
        rows = self._labels(letters)
        lines: list[str] = []
        lines.append(
            "Each letter's row of X goes through: Z1 = X W1 + b1, A1 = sigmoid(Z1), "
            "Z2 = A1 W2 + b2, A2 = sigmoid(Z2). One row per letter throughout."
        )
        lines.append("")
        lines += self._array("Z1", s.Z1, letters, units, rows, self._units(units))
        lines += self._array("A1", s.A1, letters, units, rows, self._units(units))
        lines += self._array("Z2", s.Z2, letters, letters, rows, self._labels(letters))
        lines += self._array("A2", s.A2, letters, letters, rows, self._labels(letters))
        lines.append("")
        first = letters[0]
        label = self.alphabet.labels[first]
        lines.append(
            f"Letter {label}: its output for {label} is {s.A2[first, first]:.4f} "
            f"(the target is 1, the others' targets 0)."
        )
        return lines

    def _backward(self) -> list[str]:
        s = self.step
        a = self.alphabet
        letters, units = self.shown_letters(), self.shown_units()
        rows, outs, hid = self._labels(letters), self._labels(letters), self._units(units)
        pixels = list(range(a.size))
        pixel_names = [f"r{p // a.cols + 1}c{p % a.cols + 1}" for p in pixels]
        lines: list[str] = []
        lines.append(
            "dZ2 = A2 - y is the gradient of the cross-entropy loss, not of the mean squared "
            "error the tutorial prints; both fall as A2 nears y."
        )
        lines.append("")
        lines += self._array("dZ2", s.dZ2, letters, letters, rows, outs)
        lines += self._array("dW2", s.dW2, units, letters, hid, outs)
        lines += self._array("db2", s.db2, [0], letters, ["db2"], outs)
        lines += self._array("dA1", s.dA1, letters, units, rows, hid)
        lines += self._array("dZ1", s.dZ1, letters, units, rows, hid)
        lines += self._array("db1", s.db1, [0], units, ["db1"], hid)
        lines.append("")
        # The weight of the shown ones that this update moves most.
        part = np.abs(s.dW2[np.ix_(units, letters)])
        r, c = np.unravel_index(int(np.argmax(part)), part.shape)
        j, k = units[r], letters[c]
        before, grad, after = s.W2[j, k], s.dW2[j, k], s.new_W2[j, k]
        lines.append(
            f"The update W2 = W2 - learning_rate * dW2 on the weight it moves most, "
            f"W2[{j}, {k}] (from h{j + 1} to {a.labels[k]}):"
        )
        lines.append(f"  {before:+.6f} - {self.learning_rate:g} * ({grad:+.6f}) = {after:+.6f}")
        lines.append("")
        lines += self._array("dW1", s.dW1, pixels, units, pixel_names, hid)
        return lines

    def _training(self) -> list[str]:
        lines: list[str] = []
        lines.append(
            "Each epoch runs forward, backward and the update once on all the letters. The "
            "tutorial prints the loss when epoch % 1000 == 0:"
        )
        lines.append("")
        lines += self.log
        lines.append(tutorial_line(self.epoch, self.step.loss))
        lines.append("")
        lines.append(
            f"The last line is epoch {self.epoch}'s loss, np.mean(np.square(y - A2)): the "
            "mean squared error, measured before that epoch's update."
        )
        return lines

    def _predictions(self) -> list[str]:
        s = self.step
        letters = self.shown_letters()
        rows, outs = self._labels(letters), self._labels(letters)
        lines: list[str] = []
        lines.append(
            "predict runs forward and argmax picks the largest output in each row. Sigmoid "
            "outputs are independent scores: they need not sum to 1."
        )
        lines.append("")
        lines += self._array("A2", s.A2, letters, letters, rows, outs)
        lines.append("")
        picks = np.argmax(s.A2, axis=1)
        for i in letters:
            pick = int(picks[i])
            verdict = "right" if pick == i else f"wrong: it reads {self.alphabet.labels[pick]}"
            lines.append(
                f"Predicted class for letter {self.alphabet.labels[i]}: [{pick}] ({verdict})"
            )
        right = int(np.sum(picks == np.arange(len(picks))))
        lines.append("")
        lines.append(f"{right} of {len(picks)} letters read right.")
        return lines


def headless_text(lesson: Lesson, width: int = 78) -> str:
    """Every page as plain text, for `letter-tui lesson --headless`; prose wrapped."""
    out: list[str] = []
    for page in lesson.pages():
        out.append(page.heading)
        out.append("=" * len(page.heading))
        out.append("")
        out += ["    " + line if line else "" for line in page.code.splitlines()]
        out.append("")
        for line in (*page.header, "", *page.lines):
            out += (
                textwrap.wrap(line, width, break_on_hyphens=False) if len(line) > width else [line]
            )
        out.append("")
    return "\n".join(out)
