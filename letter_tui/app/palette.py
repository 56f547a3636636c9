"""The app's colour language, in one place.

Each reader keeps one colour and one line style on every chart and bar (Scores, Inside's
noise chart, the output bars): you, the network, the best possible reader (the ideal
observer) and chance. The hues are Okabe and Ito's palette for colour-blind readers
(orange, sky blue, reddish purple, grey: no red against green), each at least 4.5:1
against the dark theme's backgrounds, and a line style or a name always says the same
thing, so nothing is told by colour alone. The top guess is marked by shape (bold, a
marker), never by a colour swap.

Widgets put these into their DEFAULT_CSS as literal colours, so they hold in any App.
`legible_variables` raises the theme's muted text to 4.5:1 wherever the app shows it.
"""

from __future__ import annotations

from textual.color import Color

YOU = "#E69F00"
NETWORK = "#56B4E9"
BEST_READER = "#DB8EC0"
CHANCE = "#A8A8A8"
RIGHT = "#8AD4A1"
WRONG = "#FF8C94"

# For and against: red pushes toward (a unit on, or the network toward its guess), blue pushes
# away, in Inside's heatmaps and in the why overlay alike (ColorBrewer RdBu, told apart with
# red-green colour blindness too). Orange stays "you"; the strong tints are the heatmaps' own
# ends, the light ones a weaker push. Marks on them are black: 5.6, 6.2, 10.6 and 11.3 to 1.
FOR = "#D6604D"
AGAINST = "#4393C3"
FOR_LIGHT = "#F4A582"
AGAINST_LIGHT = "#92C5DE"


def heatmap_css(widget: str) -> str:
    """A heatmap widget's for/against cell colours (see heatmap.Palette), from FOR and AGAINST."""
    return (
        f"{widget} > .heatmap--positive {{ background: {FOR}; }}\n"
        f"{widget} > .heatmap--negative {{ background: {AGAINST}; }}\n"
    )


# Line styles, drawn in legends and on the braille chart.
SOLID, DASHED, DOTTED = "━", "╍", "┄"
LINE = {"you": SOLID, "network": SOLID, "best": DASHED, "chance": DOTTED}

TEXT_COLOURS = {
    "you": YOU,
    "network": NETWORK,
    "best possible reader": BEST_READER,
    "chance": CHANCE,
    "right": RIGHT,
    "wrong": WRONG,
}
"""Every palette colour that draws text (checked against the theme by tests/test_contrast.py)."""

AA = 4.5
MARGIN = 0.1  # a little over 4.5:1, so rounding to a terminal's colours cannot drop below


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance of an opaque colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG 2 contrast ratio between two opaque colours (1 to 21)."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def legible_variables(variables: dict[str, str]) -> dict[str, str]:
    """Overrides for a theme's CSS variables, so that text reads at 4.5:1 in any theme:

    - `text-muted` (the foreground at 60%, about 4:1 on textual-dark) becomes the faintest
      blend of foreground over background that reads on the background, surface and panel;
    - the highlighted row (`block-cursor-*`: Home's menu, the summary's rounds, Scores) moves
      the primary colour toward the background until the foreground reads on it (white on
      textual-dark's #0178D4 was 3.8:1);
    - Markdown headings drawn in the primary colour (4.1:1) take the primary text colour.
    """
    try:
        floor = Color.parse(variables["background"])
        foreground = floor + Color.parse(variables["foreground"])
        grounds = [floor + Color.parse(variables[k]) for k in ("background", "surface", "panel")]
        primary = floor + Color.parse(variables["primary"])
        primary_text = floor + Color.parse(variables["text-primary"])
    except (KeyError, ValueError):
        return {}

    def reads(colour: Color, *on: Color) -> bool:
        return all(contrast(colour, g) >= AA + MARGIN for g in on)

    out = {"text-muted": foreground.hex}
    for step in range(50, 101, 2):
        muted = floor.blend(foreground, step / 100)
        if reads(muted, *grounds):
            out["text-muted"] = muted.hex
            break
    for step in range(0, 101, 5):
        cursor = primary.blend(floor, step / 100)
        if reads(foreground, cursor):
            out["block-cursor-background"] = cursor.hex
            out["block-cursor-foreground"] = foreground.hex
            break
    for level in (1, 2, 3):
        key = f"markdown-h{level}-color"
        try:
            heading = floor + Color.parse(variables[key])
        except (KeyError, ValueError):
            continue
        if not reads(heading, floor) and reads(primary_text, floor):
            out[key] = primary_text.hex
    return out
