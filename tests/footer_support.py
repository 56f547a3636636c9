"""Reading the footer's line as it was painted: its keys, which are dimmed, where each one is."""

from __future__ import annotations

from typing import Any


def footer_cells(screen: Any) -> list[tuple[str, bool, bool]]:
    """The footer's line as painted (its strip, what the compositor puts on the bottom row):
    one (character, bold, dim) per cell."""
    from letter_tui.app.widgets.key_footer import KeyFooter

    strip = screen.query_one(KeyFooter).render_line(0)
    return [
        (char, bool(style and style.bold), bool(style and style.dim))
        for text, style, _ in strip
        for char in text
    ]


def footer_keys(screen: Any, palette: bool = False) -> list[str]:
    """The footer's keys as drawn, "key description", a dimmed one in brackets, "…" where
    keys were left out; the palette key (after the "▏" rule) last when `palette`."""
    cells = footer_cells(screen)
    line = "".join(char for char, _, _ in cells)
    rule = line.find("▏")
    if rule >= 0 and not palette:
        cells = cells[:rule]
    keys: list[list[Any]] = []  # [key, description, dimmed]
    for char, bold, dim in cells:
        if char == "▏":
            continue
        if bold:
            if keys and keys[-1][1] == "" and keys[-1][0] != "…":
                keys[-1][0] += char  # the key goes on (a key is drawn bold, its words not)
                continue
            keys.append([char, "", dim])
        elif char == "…":
            keys.append(["…", "", False])
        elif keys and keys[-1][0] != "…":
            keys[-1][1] += char
    for key in keys:  # the description starts with a space ("?" + " Help" + the gap)
        key[1] = key[1].strip()
    return [
        "…" if key == "…" else f"[{key} {words}]" if dimmed else f"{key} {words}".strip()
        for key, words, dimmed in keys
    ]


def footer_column(screen: Any, text: str) -> int:
    """The column where `text` starts on the footer's line."""
    line = "".join(char for char, _, _ in footer_cells(screen))
    column = line.find(text)
    assert column >= 0, (text, line)
    return column
