"""A letter grid whose pixels can carry marks: a shape drawn inside the pixel and a colour.

Marks tell things by shape as well as colour: `x` the pixels the noise flipped, `+` and `-`
the pixels that push the network toward or against its guess. Nothing is told by colour
alone, and every mark's text keeps at least 4.5:1 contrast against its own background.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.segment import Segment
from textual.reactive import var
from textual.strip import Strip

from letter_tui.app import palette
from letter_tui.app.widgets.letter_grid import LetterGrid


class Mark(NamedTuple):
    """What one pixel shows instead of its plain colour."""

    index: int  # the pixel, row-major
    text: str  # drawn centred on the pixel's middle row (or repeated over it, see `fill`)
    style: str  # a component class of MarkedGrid (or of a subclass)
    fill: bool = False  # repeat `text` over every cell of the pixel, not centred once
    # Keep the pixel's top row (at scale 2 and up) in its plain lit or unlit colour, so a
    # mark that tints the pixel still shows whether it is on.
    frame: bool = False
    # With `fill`: the pixel's first and last cells become `<` and `>` around the fill, so a
    # pixel carrying two marks (flipped and one of the network's fewest flips) shows both.
    bracket: bool = False


# The why overlay's tints: palette.FOR (red) for "pushes toward the guess", palette.AGAINST
# (blue) for "against", two strengths each: the same pair as Inside's heatmaps. Fixed colours
# (not theme variables) so they keep their meaning and their contrast in any theme; the marks
# on them are black (at least 5.6:1, see palette.py).
WHY_CSS = f"""
MarkedGrid > .marked-grid--for-strong {{
    background: {palette.FOR}; color: #000000; text-style: bold;
}}
MarkedGrid > .marked-grid--for {{
    background: {palette.FOR_LIGHT}; color: #000000; text-style: bold;
}}
MarkedGrid > .marked-grid--against {{
    background: {palette.AGAINST_LIGHT}; color: #000000; text-style: bold;
}}
MarkedGrid > .marked-grid--against-strong {{
    background: {palette.AGAINST}; color: #000000; text-style: bold;
}}
MarkedGrid > .marked-grid--little {{ background: $surface-lighten-1; color: $foreground; }}
"""


class MarkedGrid(LetterGrid):
    """A LetterGrid drawing `marks` over its pixels; the cursor's brackets stay on top.

    `marked-grid--on` / `--off` keep a lit / unlit pixel's background (so a reader that
    judges pixels by background still reads the bitmap) and draw the mark in contrast.
    """

    DEFAULT_CSS = (
        """
    MarkedGrid > .marked-grid--on {
        background: $foreground;
        color: $background;
        text-style: bold;
    }
    MarkedGrid > .marked-grid--off {
        background: $surface-lighten-1;
        color: $foreground;
        text-style: bold;
    }
    """
        + WHY_CSS
    )
    COMPONENT_CLASSES = LetterGrid.COMPONENT_CLASSES | {
        "marked-grid--on",
        "marked-grid--off",
        "marked-grid--for-strong",
        "marked-grid--for",
        "marked-grid--against",
        "marked-grid--against-strong",
        "marked-grid--little",
    }

    marks: var[tuple[Mark, ...]] = var(())

    def watch_marks(self) -> None:
        self.refresh()

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        rows, cols = self.shape
        s = self.scale
        left, top = self._origin()
        row, sub = divmod(y - top, s)
        if y < top or row >= rows or not self.marks or len(self.bitmap) != rows * cols:
            return strip
        marks = {m.index: m for m in self.marks if row * cols <= m.index < (row + 1) * cols}
        if not marks:
            return strip
        segments = list(strip)
        width = 2 * s
        out = [Segment(" " * left, self.rich_style)]
        for col in range(cols):
            start = left + width * col
            mark = marks.get(row * cols + col)
            if mark is None or (row, col) == self.cursor or (mark.frame and s > 1 and sub == 0):
                out.extend(Strip(segments).crop(start, start + width))
                continue
            first = 1 if mark.frame and s > 1 else 0
            middle = first + (s - first) // 2
            if mark.fill and mark.bracket:
                text = "<" + (mark.text * width)[: width - 2] + ">"
            elif mark.fill:
                text = (mark.text * width)[:width]
            elif sub == middle:
                text = mark.text[:width].center(width)
            else:
                text = " " * width
            out.append(Segment(text, self.get_component_rich_style(mark.style)))
        out.append(Segment(" " * max(0, self.size.width - left - width * cols), self.rich_style))
        return Strip(out, self.size.width).crop(0, self.size.width)


def flip_marks(shown: tuple[int, ...], clean: tuple[int, ...]) -> tuple[Mark, ...]:
    """An `x` filling every pixel where `shown` differs from `clean`, in its lit/unlit colour."""
    return tuple(
        Mark(i, "x", "marked-grid--on" if a else "marked-grid--off", fill=True)
        for i, (a, b) in enumerate(zip(shown, clean, strict=True))
        if a != b
    )


def fool_marks(
    shown: tuple[int, ...], clean: tuple[int, ...], hint: frozenset[int] = frozenset()
) -> tuple[Mark, ...]:
    """The fool screen's marks: `x` where you flipped a pixel (as `flip_marks`), `<>` on the
    network's fewest flips when shown, `<x>` on a pixel that is both."""
    marks = []
    for i, (a, b) in enumerate(zip(shown, clean, strict=True)):
        style = "marked-grid--on" if a else "marked-grid--off"
        if a != b:
            marks.append(Mark(i, "x", style, fill=True, bracket=i in hint))
        elif i in hint:
            marks.append(Mark(i, "<>", style, fill=True))
    return tuple(marks)


# Strengths relative to the pixel that matters most: a confident sigmoid barely moves for
# one flip, so fixed thresholds would show nothing on the letters it reads best.
STRONG = 0.5  # at least half the largest effect
WEAK = 0.1  # below a tenth of it a pixel barely matters to the guess


def why_marks(effects: tuple[float, ...]) -> tuple[Mark, ...]:
    """Each pixel tinted and marked by what it does for the guess as it stands.

    A pixel's effect is the change in the guess's output if it alone were flipped; the pixel
    as it is pushes toward the guess when flipping it would lower that output, so the sign
    shown is the effect's opposite: `++`/`+` toward, `--`/`-` against, `·` little either way
    (strengths relative to the largest effect on this grid).
    """
    marks = []
    largest = max((abs(e) for e in effects), default=0.0) or 1.0
    for i, effect in enumerate(effects):
        push = -effect / largest
        if push >= STRONG:
            text, style = "++", "marked-grid--for-strong"
        elif push >= WEAK:
            text, style = "+", "marked-grid--for"
        elif push <= -STRONG:
            text, style = "--", "marked-grid--against-strong"
        elif push <= -WEAK:
            text, style = "-", "marked-grid--against"
        else:
            text, style = "·", "marked-grid--little"
        marks.append(Mark(i, text, style, frame=True))
    return tuple(marks)
