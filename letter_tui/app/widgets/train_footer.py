"""The Train and Quiz screens' footer: Textual's Footer, without rebuilding it for every change.

Textual's Footer removes and mounts all its keys again on every `refresh_bindings`, and the
new keys lay the whole screen out again, twice: 10-30 ms of the event loop, and while a run
trains, twice that in training time, since the thread waits for the GIL meanwhile. The Train
screen refreshes its bindings on every keystroke in the settings form and whenever a run
starts or ends, and most of those refreshes leave the footer as it was or only swap the
run's keys (start and one epoch for pause and stop) in the same places.

Built on Textual's public API only: the keys are this module's own `FooterKey` widgets (Textual
keeps its own in a private module), drawn and styled as Textual draws its own, so the footer
looks the same. The class keeps Textual's name because the stock Footer's stylesheet (and
app.tcss) place the keys by that type name: the palette key docked right, compact margins.
Which keys show and which are dimmed comes from the screen's `check_action` (None dims a key),
read through `Screen.active_bindings`. Binding groups are not used by these screens and are
shown as separate keys.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

Entry = tuple[str, str, str, str, bool, str]
"""What one FooterKey shows: key, action, description, key display, enabled, tooltip."""
Shown = tuple[Entry | None, tuple[Entry, ...]]
"""The palette key (None: not shown), and the other keys in order."""


class FooterKey(Widget):
    """One key in the footer: its key and what it does; dimmed while it does nothing.

    The same drawing and styles as Textual's own footer key (textual 8.2), so the footer looks
    as before; unlike Textual's, it can be given another binding in place (`show`)."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description"}
    # Textual's FooterKey styles, unchanged (the theme's footer colours).
    DEFAULT_CSS = """
    FooterKey {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
            padding: 0 1;
        }

        .footer-key--description {
            padding: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }

        &:hover {
            pointer: pointer;
            color: $footer-key-foreground;
            background: $block-hover-background;
        }

        &.-disabled {
            text-style: dim;
        }

        &.-compact {
            .footer-key--key {
                padding: 0;
            }
            .footer-key--description {
                padding: 0 0 0 1;
            }
        }
    }
    """

    compact = reactive(True)
    """Display compact style."""

    def __init__(self, entry: Entry, classes: str = "") -> None:
        super().__init__(classes=classes)
        # The footer sizes itself to its keys' text: never shrink a key to make room.
        self.set_reactive(Widget.shrink, False)
        self.key = self.action = self.description = self.key_display = ""
        self.enabled = True
        self.show(entry)

    def show(self, entry: Entry) -> None:
        """Show another binding (or the same one, enabled or not); repaints, and lays the
        footer out again only when the key's width changed."""
        key, action, description, key_display, enabled, tooltip = entry
        now = (self.key, self.action, self.description, self.key_display, self.enabled)
        if self.is_mounted and now == entry[:5] and (self.tooltip or "") == tooltip:
            return
        resized = self.is_mounted and cell_len(description) + cell_len(key_display) != (
            cell_len(self.description) + cell_len(self.key_display)
        )
        self.key, self.action = key, action
        self.description, self.key_display = description, key_display
        self.enabled = enabled
        self.tooltip = tooltip or None
        self.set_class(not enabled, "-disabled")
        if self.is_mounted:
            self.refresh(layout=resized)

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        key = " " * key_padding.left + self.key_display + " " * key_padding.right
        if self.description:
            description = (
                " " * description_padding.left + self.description + " " * description_padding.right
            )
            text = Text.assemble((key, key_style), (description, description_style))
        else:
            text = Text.assemble((self.key_display, key_style))
        text.stylize_before(self.rich_style)
        return text

    def on_mouse_down(self) -> None:
        # A click presses the key; the screen's check_action still decides (a dimmed key
        # only rings the bell, as Textual's footer does).
        if self.enabled:
            self.app.simulate_key(self.key)
        else:
            self.app.bell()

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")


class TrainFooter(Footer):
    """A Footer that skips the rebuild when nothing it shows changed, and relabels its keys
    in place when only which keys it shows changed, not how many."""

    def __init__(self, *, compact: bool = False) -> None:
        super().__init__(compact=compact)
        self._shown: Shown | None = None
        self._keys_known = False  # the screen's bindings are known (after its first change)

    def _entries(self) -> Shown:
        """The keys as Textual's Footer shows them (one per action, the first binding's)."""
        app = self.app
        active = self.screen.active_bindings
        entries: dict[str, Entry] = {}
        for key, (_, binding, enabled, tooltip) in active.items():
            if binding.show:
                display = app.get_key_display(binding)
                entry = (key, binding.action, binding.description, display, enabled, tooltip)
                entries.setdefault(binding.action, entry)
        # The palette key is drawn apart, at the right, when shown.
        palette: Entry | None = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, _ = found
                display = app.get_key_display(binding)
                tooltip = binding.tooltip or binding.description
                palette = (binding.key, binding.action, binding.description, display, enabled,
                           tooltip)  # fmt: skip
        return palette, tuple(entries.values())

    def compose(self) -> ComposeResult:
        if not self._keys_known:
            return
        self._shown = palette, entries = self._entries()
        for entry in entries:
            yield FooterKey(entry).data_bind(compact=Footer.compact)
        if palette is not None:
            yield FooterKey(palette, classes="-command-palette")

    def bindings_changed(self, screen: Screen) -> None:
        self._keys_known = True
        # As Textual's Footer: nothing while the app is not focused, nor for another screen.
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        shown = self._entries()
        if shown == self._shown:
            return
        if self.relabel(shown):
            self._shown = shown
            return
        self.call_after_refresh(self.recompose)

    def relabel(self, shown: Shown) -> bool:
        """Give the footer's keys their new bindings, if there are as many and the palette
        key is unchanged; False (nothing changed) if not."""
        palette, entries = shown
        if self._shown is None or palette != self._shown[0]:
            return False
        keys = [k for k in self.query_children(FooterKey) if not k.has_class("-command-palette")]
        if len(keys) != len(entries):
            return False
        for widget, entry in zip(keys, entries, strict=True):
            widget.show(entry)
        return True
