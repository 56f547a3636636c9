"""The title line: the app's title and sub-title (alphabet, unsaved changes) on every screen.

Like Textual's Header, but it follows the app's `dirty` flag itself and repaints one line:
changing an App's sub_title repaints the whole screen, and Header's auto-sized title re-lays it
out, which cost Draw a frame on every edit that flips "unsaved changes".
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TitleBar(Widget):
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
        text-align: center;
    }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            self.watch(node, "title", self._changed, init=False)
            self.watch(node, "sub_title", self._changed, init=False)
        if hasattr(self.app, "dirty"):
            self.watch(self.app, "dirty", self._changed, init=False)

    def _changed(self) -> None:
        self.refresh()

    def render(self) -> Text:
        title = self.screen.title or self.app.title
        sub_title = self.screen.sub_title or self.app.sub_title
        if getattr(self.app, "dirty", False):
            sub_title += " (unsaved changes)"
        # The alphabet's name comes from a file name or option: plain Text, never markup.
        text = Text(title, style="bold", no_wrap=True, overflow="ellipsis")
        if sub_title:
            text.append(f" — {sub_title}", style="not bold")
        return text
