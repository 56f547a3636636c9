"""The Train screen's footer: Textual's Footer, without rebuilding it for every change.

Textual's Footer removes and mounts all its keys again on every `refresh_bindings`, and the
new keys lay the whole screen out again, twice: 10-30 ms of the event loop, and while a run
trains, twice that in training time, since the thread waits for the GIL meanwhile. The Train
screen refreshes its bindings on every keystroke in the settings form and whenever a run
starts or ends, and most of those refreshes leave the footer as it was or only swap the
run's keys (start and one epoch for pause and stop) in the same places.

`FooterKey` is Textual's (textual is pinned); its attributes are set here as its own
`__init__` sets them.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Entry = tuple[str, str, str, str, bool, str]
"""What one FooterKey shows: key, action, description, key display, enabled, tooltip."""
Shown = tuple[bool | None, tuple[Entry, ...]]
"""Whether the palette key is enabled (None: not shown), and the other keys in order."""


class TrainFooter(Footer):
    """A Footer that skips the rebuild when nothing it shows changed, and relabels its keys
    in place when only which keys it shows changed, not how many."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Shown | None = None

    def _entries(self) -> Shown | None:
        """The keys as `Footer.compose` makes them (one per action, the first binding's);
        None when a binding group is shown, which compose lays out differently."""
        app = self.app
        active = self.screen.active_bindings
        entries: dict[str, Entry] = {}
        for key, (_, binding, enabled, tooltip) in active.items():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            display = app.get_key_display(binding)
            entry = (key, binding.action, binding.description, display, enabled, tooltip)
            entries.setdefault(binding.action, entry)
        # The palette key is drawn apart, at the right, when shown.
        palette: bool | None = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            palette = None if found is None else found.enabled
        return palette, tuple(entries.values())

    def compose(self) -> ComposeResult:
        self._shown = self._entries() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is None or not self.is_attached or screen is not self.screen:
            super().bindings_changed(screen)
            return
        shown = self._entries()
        if shown == self._shown:
            return
        if shown is not None and self._relabel(shown):
            self._shown = shown
            return
        super().bindings_changed(screen)

    def _relabel(self, shown: Shown) -> bool:
        """Give the footer's keys their new bindings, if there are as many; False if not."""
        palette, entries = shown
        if self._shown is None or palette != self._shown[0]:
            return False
        keys = [k for k in self.query_children(FooterKey) if not k.has_class("-command-palette")]
        if len(keys) != len(entries):
            return False
        for widget, (key, action, description, display, enabled, tooltip) in zip(
            keys, entries, strict=True
        ):
            now = (widget.key, widget.action, widget.description, widget.key_display)
            if now == (key, action, description, display) and widget._disabled != enabled:
                continue
            width = cell_len(widget.description) + cell_len(widget.key_display)
            resized = width != cell_len(description) + cell_len(display)
            widget.key, widget.action = key, action
            widget.description, widget.key_display = description, display
            widget._disabled = not enabled
            widget.tooltip = tooltip or None
            widget.set_class(not enabled, "-disabled")
            widget.refresh(layout=resized)
        return True
