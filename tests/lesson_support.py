"""Reading the lesson as a person sees it: the terminal's text from Textual's public SVG export."""

from __future__ import annotations

import html
import re

CELL = 12.2  # the width of one terminal cell in Rich's SVG export
_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#[^)]*-line-(\d+)\)">(.*?)</text>'
)


def svg_lines(svg: str) -> list[str]:
    """The rows of text an `export_screenshot()` SVG shows, one string per terminal row."""
    rows: dict[int, dict[int, str]] = {}
    for x, line, text in _TEXT.findall(svg):
        rows.setdefault(int(line), {})[round(float(x) / CELL)] = html.unescape(text)
    out = []
    for line in range(max(rows, default=-1) + 1):
        row = ""
        for column, text in sorted(rows.get(line, {}).items()):
            row = row.ljust(column) + text
        out.append(row.replace("\xa0", " ").rstrip())
    return out


def screen_text(app) -> str:
    return "\n".join(svg_lines(app.export_screenshot()))
