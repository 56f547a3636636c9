"""Every screen's footer: the keys that work now, drawn as one line by one widget.

What it shows is what Textual's compact Footer shows, in the same order: the screen's
`active_bindings` that have `show` set, one per action (the action's first binding), each as
its key (`app.get_key_display`) and description; a key the screen's `check_action` answers
None for is dimmed (a click on it rings the bell), False leaves it out (Textual's
`active_bindings` already does). The command palette key sits at the right edge after a thin
rule (`▏^p palette`), while the app offers the palette and its binding is active.

When the line is too narrow for every key, whole keys are dropped from the end, never cut in
half: the help key (action `help`, `?`) and the palette key always stay, and `…` stands where
keys were left out (`?` lists every key; a click on `…` presses it).

Why one widget instead of Textual's Footer: the stock footer mounts a widget per key, styles
each one, and removes and mounts them all again on every change of the screen's bindings,
laying the whole screen out again each time: it was most of the app's time to its first frame,
and 10-30 ms of the event loop per change on Train and Quiz (whose bindings change on every
keystroke in a form and whenever a run starts or ends, mostly to the same keys), time taken
from the training thread too while it waits for the GIL. Here a change of bindings only
recomputes the list of keys and repaints this one line when the list changed; it is never laid
out again, and the first frame already has the keys. Textual's public API only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

ELLIPSIS = "…"
RULE = "▏"  # before the palette key, as Textual's footer draws its border (vkey)


class FooterEntry(NamedTuple):
    """One key as the footer shows it."""

    key: str
    action: str
    description: str
    key_display: str
    enabled: bool
    tooltip: str

    @property
    def width(self) -> int:
        """Cells it takes: the key, then a space and the description."""
        if not self.description:
            return cell_len(self.key_display)
        return cell_len(self.key_display) + 1 + cell_len(self.description)


class Shown(NamedTuple):
    """Everything the footer draws: the keys in order, and the palette key (None: none)."""

    entries: tuple[FooterEntry, ...]
    palette: FooterEntry | None


def is_help(entry: FooterEntry) -> bool:
    return entry.action in ("help", "app.help")


def fit(entries: tuple[FooterEntry, ...], width: int) -> list[FooterEntry | None]:
    """The keys that fit in `width` cells, one space apart, in order; None marks where keys
    were left out (drawn as `…`). Whole keys are dropped from the end, the help key never
    (unless not even it fits)."""
    needed = sum(entry.width for entry in entries) + len(entries) - 1
    if needed <= width:
        return list(entries)
    kept_help = [entry for entry in entries if is_help(entry)][:1]
    # What must stay: `…` and the help key, each after a space (the first one's is not needed).
    room = width - cell_len(ELLIPSIS) - sum(entry.width + 1 for entry in kept_help)
    if room < 0:  # not even `…` and the help key: the help key alone, if it fits
        return [entry for entry in kept_help if entry.width <= width]
    chosen: set[int] = set()
    for index, entry in enumerate(entries):
        if is_help(entry):
            continue
        if entry.width + 1 > room:
            break
        chosen.add(index)
        room -= entry.width + 1
    line: list[FooterEntry | None] = []
    for index, entry in enumerate(entries):
        if index in chosen or entry in kept_help:
            line.append(entry)
        elif None not in line:
            line.append(None)
    return line


class KeyFooter(Widget):
    """The keys that work now, on the screen's bottom line (see the module's docstring)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--disabled",
        "key-footer--rule",
    }
    # Textual's footer colours (the theme's), as its compact Footer draws them.
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .key-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .key-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .key-footer--hover {
            background: $block-hover-background;
        }
        & > .key-footer--disabled {
            text-style: dim;
        }
        & > .key-footer--rule {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: Shown | None = None
        # Where each key was drawn last, for the mouse: (start, end, entry).
        self._spans: list[tuple[int, int, FooterEntry]] = []
        self._hover: FooterEntry | None = None
        self._update_pending = False

    @property
    def shown(self) -> Shown:
        """The keys as the footer shows them now (all of them, before fitting)."""
        if self._shown is None:
            self._shown = self.read_bindings()
        return self._shown

    def read_bindings(self) -> Shown:
        """The screen's active keys, as Textual's Footer would show them."""
        app = self.app
        active = self.screen.active_bindings
        entries: dict[str, FooterEntry] = {}
        for key, (_, binding, enabled, tooltip) in active.items():
            if binding.show and binding.action not in entries:
                display = app.get_key_display(binding)
                entries[binding.action] = FooterEntry(
                    key, binding.action, binding.description, display, enabled, tooltip
                )
        palette: FooterEntry | None = None
        found = active.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if found is not None:
            _, binding, enabled, _ = found
            display = app.get_key_display(binding)
            tooltip = binding.tooltip or binding.description
            palette = FooterEntry(
                binding.key, binding.action, binding.description, display, enabled, tooltip
            )
        return Shown(tuple(entries.values()), palette)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        # As Textual's Footer: nothing while the app is not focused, nor for another screen.
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        # Read the keys once the screen is settled, as Textual's Footer does (a screen's
        # check_action may look for widgets still being mounted); several changes, one read.
        if not self._update_pending:
            self._update_pending = True
            self.call_after_refresh(self.update_keys)

    def update_keys(self) -> bool:
        """Read the screen's keys again; repaint (never lay out) only if they changed."""
        self._update_pending = False
        if not self.is_attached:  # its screen went away meanwhile (a dismissed dialog)
            return False
        shown = self.read_bindings()
        if shown == self._shown:
            return False
        self._shown = shown
        self.refresh()
        return True

    # --- drawing ---------------------------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        entries, palette = self.shown
        self._spans = []
        right = Text()
        if palette is not None and palette.width + 2 <= width:
            right = Text(end="")
            right.append(RULE, self.get_component_rich_style("key-footer--rule"))
            right.append_text(self._entry_text(palette, width - palette.width - 1))
            right.append(" ")
        left = Text(end="", no_wrap=True)
        help_key = next((entry for entry in entries if is_help(entry)), None)
        for entry in fit(entries, width - right.cell_len):
            if left:
                left.append(" ")
            if entry is None:
                start = left.cell_len
                left.append(ELLIPSIS, self.get_component_rich_style("key-footer--description"))
                if help_key is not None:
                    more = help_key._replace(
                        tooltip=f"More keys: {help_key.key_display} lists them"
                    )
                    self._spans.append((start, start + 1, more))
                continue
            left.append_text(self._entry_text(entry, left.cell_len))
        left.pad_right(width - left.cell_len - right.cell_len)
        left.append_text(right)
        return left

    def _entry_text(self, entry: FooterEntry, start: int) -> Text:
        """One key and its description, as the compact Footer draws them; noted for the mouse."""
        text = Text(end="")
        text.append(entry.key_display, self.get_component_rich_style("key-footer--key"))
        if entry.description:
            description = self.get_component_rich_style("key-footer--description")
            text.append(" " + entry.description, description)
        if not entry.enabled:
            text.stylize(self.get_component_rich_style("key-footer--disabled", partial=True))
        if entry == self._hover:
            hover = self.get_component_rich_style("key-footer--hover")
            text.stylize(Style(bgcolor=hover.bgcolor))
        self._spans.append((start, start + text.cell_len, entry))
        return text

    # --- mouse -----------------------------------------------------------------------------

    def entry_at(self, x: int) -> FooterEntry | None:
        """The key drawn at column `x` (None: none)."""
        for start, end, entry in self._spans:
            if start <= x < end:
                return entry
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self.entry_at(event.x))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, entry: FooterEntry | None) -> None:
        if entry != self._hover:
            self._hover = entry
            self.tooltip = (entry.tooltip or entry.description) if entry is not None else None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        # A click presses the key; the screen's check_action still decides, and a dimmed key
        # only rings the bell, as Textual's footer does.
        entry = self.entry_at(event.x)
        if entry is None:
            return
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()
