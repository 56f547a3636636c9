"""Read what a person sees: a command in a real pseudo-terminal, its output fed to pyte.

`Terminal` runs a command and keeps a pyte screen up to date; `read_grid` reads a letter grid
back off that screen by its colours, found by its panel's title (any part of it, so a title
that changes, "Letter Q (17/26)", is found by what the test expects it to say), and
`Terminal.wait_grid` waits for a grid to show a bitmap and stay so. Tests compare what is read
with the game's own state, so a widget that paints stale pixels fails them even when its data
is right. `with_model` saves a model into a data dir, so the app starts without training.
"""

from __future__ import annotations

import functools
import os
import select
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pyte
from ptyprocess import PtyProcess

from letter_tui.core.model_io import Model, load_model, save_model

DEFAULT_TIMEOUT = 30.0
CORNERS_TOP_LEFT = "╭┌┏╔"
CORNERS_TOP_RIGHT = "╮┐┓╗"
CORNERS_BOTTOM_LEFT = "╰└┗╚"

ENTER, ESCAPE, CTRL_Q = "\r", "\x1b", "\x11"
UP, DOWN, RIGHT, LEFT = "\x1b[A", "\x1b[B", "\x1b[C", "\x1b[D"


@functools.cache
def _model_for(name: str) -> Model:
    from tests.conftest import trained_model

    if name == "abc":
        return trained_model("abc", epochs=3000)  # the model the other app tests share
    # 3000 epochs take 10-25 s for az on this machine; the grids need a model the app loads,
    # not a good one (100 epochs of the recipe still read every letter).
    return trained_model(name, epochs=100)


def with_model(data_dir: Path, name: str) -> Model:
    """Save a model for bundled alphabet `name` into `data_dir`, so the app starts without
    training; returns it as read back from the file (what the app plays with)."""
    path = data_dir / "models" / f"{name}.npz"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_model(_model_for(name), path)
    return load_model(path)


def pty_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The caller's environment minus what would override the pty's own size."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("COLUMNS", "LINES", "TEXTUAL", "TEXTUAL_DRIVER", "NO_COLOR")
    }
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    env.update(extra or {})
    return env


class Terminal:
    """A command on a pseudo-terminal of `cols` x `rows`; a thread feeds its output to pyte."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cols: int = 80, rows: int = 24
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.updates = 0  # bumped on every chunk of output: "the screen may have changed"
        self.proc = PtyProcess.spawn(list(argv), env=dict(env), dimensions=(rows, cols))
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        while True:
            try:
                ready, _, _ = select.select([self.proc.fd], [], [], 0.5)
                if not ready:
                    if not self.proc.isalive():
                        return
                    continue
                data = self.proc.read(65536)
            except (EOFError, OSError, ValueError):
                return
            with self.changed:
                self.stream.feed(data)
                self.updates += 1
                self.changed.notify_all()

    # --- reading ------------------------------------------------------------------------
    def text(self) -> str:
        with self.lock:
            return "\n".join(self.screen.display)

    def wait_until(
        self, check: Callable[[], bool], what: str, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        """Wait (woken by output, bounded by `timeout`) until `check()` holds on the screen."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                if check():
                    return
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self.changed.wait(min(left, 0.5))
        raise AssertionError(f"{what} never happened; the screen:\n{self.text()}")

    def wait_for(self, needle: str, timeout: float = DEFAULT_TIMEOUT) -> str:
        self.wait_until(
            lambda: needle in "\n".join(self.screen.display), f"{needle!r} on screen", timeout
        )
        return self.text()

    def settle(self, quiet: float = 0.3, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until no output has arrived for `quiet` seconds: the app finished drawing.

        A frame is written in one burst, so once output stops the screen is what the app drew.
        """
        deadline = time.monotonic() + timeout
        with self.changed:
            while time.monotonic() < deadline:
                seen = self.updates
                self.changed.wait(quiet)
                if self.updates == seen:
                    return
        raise AssertionError(f"the screen never settled; it showed:\n{self.text()}")

    def grid(self, title: str, shape: tuple[int, int]) -> tuple[int, ...]:
        with self.lock:
            return read_grid(self.screen, title, shape)

    def wait_grid(
        self,
        title: str,
        expected: Sequence[int],
        shape: tuple[int, int],
        what: str = "",
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Wait until the panel titled `title` shows `expected`, let the screen settle, and
        check that it still does.

        For steps that change no text to wait for (a toggled pixel): the first read waits for
        the key to be handled, the second catches a grid that was right for one frame only.
        A grid that stays wrong fails at `timeout` with both pictures and the screen.
        """
        expected = tuple(expected)
        seen: list[tuple[int, ...] | None] = [None]

        def shows_it() -> bool:
            try:  # called with the lock held (see wait_until)
                seen[0] = read_grid(self.screen, title, shape)
            except AssertionError:  # the panel is not (yet) on screen
                seen[0] = None
            return seen[0] == expected

        label = f"{what}: " if what else ""
        try:
            self.wait_until(shows_it, f"{label}{title!r} showing its letter", timeout)
        except AssertionError as error:
            shown = "no such grid" if seen[0] is None else picture(seen[0], shape[1])
            raise AssertionError(
                f"{label}panel {title!r} shows\n{shown}\nbut should show\n"
                f"{picture(expected, shape[1])}\n{error}"
            ) from None
        self.settle()
        final = self.grid(title, shape)
        assert final == expected, (
            f"{label}panel {title!r} showed its letter, then\n{picture(final, shape[1])}\n"
            f"instead of\n{picture(expected, shape[1])}\nthe screen:\n{self.text()}"
        )

    # --- acting -------------------------------------------------------------------------
    def send(self, keys: str) -> None:
        self.proc.write(keys.encode())

    def resize(self, cols: int, rows: int, redraw: bool = True) -> None:
        """Resize the terminal (SIGWINCH); with `redraw`, return once the app has drawn again.

        Without that wait a check right after a resize could pass on the old frame, which
        pyte keeps (cropped or padded) until the app's output replaces it.
        """
        with self.lock:
            seen = self.updates
            self.screen.resize(rows, cols)
        self.proc.setwinsize(rows, cols)
        if redraw:
            self.wait_until(lambda: self.updates > seen, f"a redraw at {cols}x{rows}")
            self.settle()

    def quit(self, timeout: float = 15.0) -> int | None:
        """ctrl+q, then wait for the process to end; its exit status."""
        self.send(CTRL_Q)
        deadline = time.monotonic() + timeout
        while self.proc.isalive() and time.monotonic() < deadline:
            self.reader.join(0.2)
        return self.proc.exitstatus if not self.proc.isalive() else None

    def close(self) -> None:
        if self.proc.isalive():
            self.proc.terminate(force=True)


# --- reading a letter grid by its colours ---------------------------------------------------
def _luminance(colour: str) -> float:
    """Relative brightness of a pyte colour (6-digit hex, a basic name, or "default")."""
    if len(colour) == 6:
        try:
            r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
        except ValueError:
            return 0.0
        return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255
    return {"white": 0.9, "brightwhite": 1.0, "default": 0.0}.get(colour, 0.3)


def find_box(screen: pyte.Screen, title: str) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) of the bordered panel whose top border holds `title`."""
    lines = screen.display
    for top, line in enumerate(lines):
        at = line.find(title)
        if at < 0:
            continue
        left = max((line.rfind(c, 0, at) for c in CORNERS_TOP_LEFT), default=-1)
        rights = [i for i in (line.find(c, at) for c in CORNERS_TOP_RIGHT) if i >= 0]
        if left < 0 or not rights:
            continue
        right = min(rights)
        for bottom in range(top + 1, len(lines)):
            if lines[bottom][left] in CORNERS_BOTTOM_LEFT:
                return top, left, bottom, right
    raise AssertionError(f"no panel titled {title!r} on screen:\n" + "\n".join(lines))


def read_grid(screen: pyte.Screen, title: str, shape: tuple[int, int]) -> tuple[int, ...]:
    """The bitmap (row-major 0/1) drawn inside the panel titled `title`.

    The grid is the block of cells whose background differs from the panel's own; each pixel
    is sampled at its centre. A pixel is lit when its background is the brighter kind (off
    pixels use two dim shades) or when it holds a filled cursor mark.
    """
    rows, cols = shape
    top, left, bottom, right = find_box(screen, title)
    buffer = screen.buffer
    panel_bg = buffer[top + 1][left].bg  # the border is drawn on the panel's background
    cells = [
        (y, x)
        for y in range(top + 1, bottom)
        for x in range(left + 1, right)
        if buffer[y][x].bg != panel_bg or buffer[y][x].data in "[]█"
    ]
    if not cells:
        raise AssertionError(f"panel {title!r} draws no grid")
    y0, y1 = min(y for y, _ in cells), max(y for y, _ in cells)
    x0, x1 = min(x for _, x in cells), max(x for _, x in cells)
    height, width = y1 - y0 + 1, x1 - x0 + 1
    if height % rows or width % cols or width // cols != 2 * (height // rows):
        raise AssertionError(
            f"panel {title!r}: a {width}x{height} block of cells is no {cols}x{rows} grid"
        )
    ph, pw = height // rows, width // cols
    samples = [
        [buffer[y0 + r * ph + ph // 2][x0 + c * pw + pw // 2] for c in range(cols)]
        for r in range(rows)
    ]
    shades = {_luminance(cell.bg) for row in samples for cell in row}
    # Lit pixels are far brighter than the two alternating off shades; a grid that is all
    # one kind is judged by absolute brightness.
    threshold = (min(shades) + max(shades)) / 2 if max(shades) - min(shades) > 0.25 else 0.5
    bitmap: list[int] = []
    for r in range(rows):
        for c in range(cols):
            cell = samples[r][c]
            text = "".join(buffer[y0 + r * ph + ph // 2][x0 + c * pw + i].data for i in range(pw))
            if "[" in text or "]" in text:  # the cursor: filled inside means lit
                if pw < 3:  # "[]": no inside to fill, and its colour alone is no proof
                    raise AssertionError(
                        f"panel {title!r}: the cursor's pixel is too small to tell on from off"
                    )
                bitmap.append(1 if "█" in text else 0)
            else:
                bitmap.append(1 if _luminance(cell.bg) > threshold else 0)
    return tuple(bitmap)


def picture(bitmap: Sequence[int], cols: int) -> str:
    """A bitmap as rows of '#' and '.', for assertion messages a person can read."""
    rows = [bitmap[i : i + cols] for i in range(0, len(bitmap), cols)]
    return "\n".join("".join("#" if v else "." for v in row) for row in rows)
