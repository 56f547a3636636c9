"""How the lesson writes numbers and pictures as text: fixed decimals, letters, heatmaps.

Plain strings, no NumPy beyond reading the arrays: the lesson's pages are built from these.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np


def number_format(values: np.ndarray) -> tuple[Callable[[float], str], str]:
    """How to show an array's values, and what to add to its heading.

    Four decimals; values too small for them (gradients, early on) are shown in units of a
    power of ten named in the heading, as "dZ1 (3, 5) in units of 1e-03".
    """
    biggest = float(np.max(np.abs(values))) if values.size else 0.0
    if 0 < biggest < 0.01:
        exponent = math.floor(math.log10(biggest))
        scale = 10.0**exponent
        return (lambda v: fixed(v / scale, 3)), f" in units of 1e{exponent:03d}"
    return fixed, ""


def fixed(value: float, digits: int = 4) -> str:
    text = f"{value:+.{digits}f}"
    # A value that rounds to zero reads the same whatever its sign's last bit.
    return text.replace("-", "+") if float(text) == 0 else text


def whole(value: float) -> str:
    return str(int(value))


def bitmap_rows(bitmap: Sequence[int], rows: int, cols: int) -> list[str]:
    return ["".join("#" if bitmap[r * cols + c] else "." for c in range(cols)) for r in range(rows)]


def heatmap_rows(values: np.ndarray, rows: int, cols: int) -> list[str]:
    def glyph(v: float) -> str:
        if v >= 0.5:
            return "#"
        if v >= 0.15:
            return "+"
        if v > -0.15:
            return "."
        return "-" if v > -0.5 else "="

    return ["".join(glyph(float(values[r * cols + c])) for c in range(cols)) for r in range(rows)]
