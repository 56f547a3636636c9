"""WCAG contrast of what a screen shows, read from `App.export_screenshot()`'s SVG.

Each text span in the SVG names its foreground (a CSS class with a `fill`) and sits on
background rects drawn per cell run; this pairs every letter and digit cell with the
rect under it and computes the WCAG 2 contrast ratio between the two colours.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

AA = 4.5

_CLASS = re.compile(r"\.(terminal-(?:\d+-)?r\d+) \{ fill: (#[0-9a-fA-F]{6})")
_RECT = re.compile(
    r'<rect fill="(#[0-9a-fA-F]{6})" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"'
    r' shape-rendering="crispEdges"/>'
)
_TEXT = re.compile(
    r'<text class="(terminal-(?:\d+-)?r\d+)" x="([\d.]+)" y="([\d.]+)" textLength="([\d.]+)"'
    r' clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">(.*?)</text>',
    re.S,
)
CELL_W = 12.2
LINE_H = 24.4


def luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of `#rrggbb`."""
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio between two `#rrggbb` colours (1 to 21)."""
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    char: str
    fg: str
    bg: str
    ratio: float


def text_cells(svg: str) -> list[Cell]:
    """Every letter or digit cell on screen, with its colours and their contrast."""
    fills = dict(_CLASS.findall(svg))
    backgrounds: dict[tuple[int, int], str] = {}
    for fill, x, y, width, _height in _RECT.findall(svg):
        row = round((float(y) - 1.5) / LINE_H)
        first = round(float(x) / CELL_W)
        for col in range(first, first + round(float(width) / CELL_W)):
            backgrounds[row, col] = fill.lower()
    cells = []
    for cls, x, _y, length, row, raw in _TEXT.findall(svg):
        text = html.unescape(raw)
        fg = fills.get(cls)
        if fg is None or not text.strip():
            continue
        first = round(float(x) / CELL_W)
        # One cell per character unless the span is wider (a wide glyph): then skip it.
        if round(float(length) / CELL_W) != len(text):
            continue
        for i, char in enumerate(text):
            if not char.isalnum():
                continue
            bg = backgrounds.get((int(row), first + i))
            if bg is None:
                continue
            cells.append(Cell(int(row), first + i, char, fg.lower(), bg, contrast(fg, bg)))
    return cells


def low_contrast(svg: str, minimum: float = AA) -> list[Cell]:
    return [cell for cell in text_cells(svg) if cell.ratio < minimum]


def screen_rows(svg: str) -> dict[int, str]:
    """The text of each row (for naming where a failure is)."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for _cls, x, _y, _length, row, raw in _TEXT.findall(svg):
        rows.setdefault(int(row), []).append((round(float(x) / CELL_W), html.unescape(raw)))
    out = {}
    for row, parts in rows.items():
        line = ""
        for col, text in sorted(parts):
            line = line.ljust(col) + text
        out[row] = line.replace("\xa0", " ")
    return out
