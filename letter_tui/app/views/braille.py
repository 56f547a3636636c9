"""A dot canvas drawn with braille characters (2x4 dots per cell), for character charts.

No Textual: the chart widgets turn its rows into styled segments.
"""

from __future__ import annotations

import itertools

import numpy as np

# Bit of each dot (dx, dy) inside a braille cell, from the Unicode braille pattern block.
_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
BLANK = chr(0x2800)


class BrailleCanvas:
    """`width` x `height` cells, so (2 * width) x (4 * height) dots; y grows downwards.

    Each set dot remembers a series number, so a cell can be coloured by the series that
    drew in it last (later series are drawn on top).
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = max(0, width)
        self.height = max(0, height)
        self._bits = [[0] * self.width for _ in range(self.height)]
        self._series = [[-1] * self.width for _ in range(self.height)]

    @property
    def dots_wide(self) -> int:
        return 2 * self.width

    @property
    def dots_high(self) -> int:
        return 4 * self.height

    def set(self, x: int, y: int, series: int = 0) -> None:
        if 0 <= x < self.dots_wide and 0 <= y < self.dots_high:
            row, col = y // 4, x // 2
            self._bits[row][col] |= _BITS[x % 2][y % 4]
            self._series[row][col] = series

    def line(
        self, x0: int, y0: int, x1: int, y1: int, series: int = 0, dash: int = 0, start: int = 0
    ) -> int:
        """Bresenham's line between two dots, both ends included. With `dash`, `dash` dots
        drawn then `dash` skipped (a dashed line), counting from `start`; returns the count
        after the last dot, so a polyline's dashes run on across its corners."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err = dx + dy
        count = start
        while True:
            if not dash or (count // dash) % 2 == 0:
                self.set(x0, y0, series)
            count += 1
            if x0 == x1 and y0 == y1:
                return count
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy

    def polyline(self, points: list[tuple[int, int]], series: int = 0, dash: int = 0) -> None:
        if len(points) == 1:
            self.set(*points[0], series)
        count = 0
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            count = self.line(x0, y0, x1, y1, series, dash, count)

    def row(self, y: int) -> list[tuple[str, int]]:
        """Cell row `y` as (character, series) pairs; series -1 for an empty cell."""
        return [
            (chr(0x2800 + bits) if bits else " ", series)
            for bits, series in zip(self._bits[y], self._series[y], strict=True)
        ]

    def text(self) -> str:
        return "\n".join("".join(c for c, _ in self.row(y)) for y in range(self.height))


def scale(value: float, low: float, high: float, size: int) -> int:
    """`value` in [low, high] mapped to a dot index 0..size-1 (clamped)."""
    if size <= 1 or high <= low:
        return 0
    t = (value - low) / (high - low)
    return max(0, min(size - 1, round(t * (size - 1))))


def scale_all(values: np.ndarray, low: float, high: float, size: int) -> np.ndarray:
    """`scale` for a whole array at once (the same dots: both round half to even)."""
    if size <= 1 or high <= low:
        return np.zeros(len(values), dtype=np.int64)
    t = (values - low) / (high - low)
    return np.clip(np.rint(t * (size - 1)), 0, size - 1).astype(np.int64)


def distinct_dots(xs: np.ndarray, ys: np.ndarray) -> list[tuple[int, int]]:
    """The dots of a polyline without consecutive repeats: a long curve on a small canvas
    lands on the same dot many times over, and each repeat is a line of one dot."""
    if len(xs) == 0:
        return []
    keep = np.ones(len(xs), dtype=bool)
    keep[1:] = (xs[1:] != xs[:-1]) | (ys[1:] != ys[:-1])
    return list(zip(xs[keep].tolist(), ys[keep].tolist(), strict=True))
