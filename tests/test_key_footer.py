"""The footer every screen shows (KeyFooter): its keys as read off the screen, what it leaves
out when the line is too short, dimmed keys, the mouse, and that it is never laid out again."""

from __future__ import annotations

from typing import Any

import pytest

from letter_tui.app.widgets.key_footer import FooterEntry, KeyFooter, fit
from tests.conftest import MakeApp
from tests.footer_support import footer_cells, footer_column, footer_keys
from tests.train_support import screen_lines
from tests.waiting import wait_until

# Help once: "h" is in Home's menu, the footer says "? Help" as on every screen.
HOME_KEYS = "d Draw t Train l Lesson q Quiz s Scores f Fool ^q Quit ? Help"
TRAIN = "s Start n One epoch e Settings T Tutorial i Inside ^q Quit ? Help"
TRAIN_KEYS = ["s Start", "n One epoch", "e Settings", "T Tutorial", "i Inside", "^q Quit", "? Help"]
DRAW_ALL = "tab Next space Toggle ^z Undo / Jump a Add ^s Save w Why ^q Quit ? Help"
# At 80 columns "^q Quit" does not fit: dropped whole, "…" in its place, "? Help" kept.
DRAW_80 = "tab Next space Toggle ^z Undo / Jump a Add ^s Save w Why … ? Help"
PALETTE = "▏^p palette"


def bottom(app: Any) -> str:
    """The terminal's last row as shown (Textual's SVG export of the frame)."""
    return screen_lines(app)[-1]


def padded(keys: str, width: int) -> str:
    """A footer line: the keys on the left, the palette key at the right edge."""
    return keys + " " * (width - len(keys) - len(PALETTE) - 1) + PALETTE


@pytest.mark.parametrize(
    ("mode", "width", "line"),
    [
        ("home", 80, padded(HOME_KEYS, 80)),
        ("train", 80, padded(TRAIN, 80)),
        ("draw", 80, padded(DRAW_80, 80)),
        ("draw", 120, padded(DRAW_ALL, 120)),
        ("home", 120, padded(HOME_KEYS, 120)),
    ],
)
async def test_the_footer_line_shows_the_screens_keys_in_order(
    make_app: MakeApp, mode: str, width: int, line: str
) -> None:
    app = make_app(mode=mode)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        assert bottom(app) == line
        # Never half a key: every key shown is whole, the palette key at the right edge.
        keys = footer_keys(app.screen, palette=True)
        assert keys[-1] == "^p palette" and " ".join(keys[:-1]) == line.split("▏")[0].strip()


async def test_too_many_keys_are_left_out_whole_keeping_help_and_the_palette(
    make_app: MakeApp,
) -> None:
    app = make_app(mode="draw")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = footer_keys(app.screen)
        assert keys[-2:] == ["…", "? Help"] and "^q Quit" not in keys
        assert bottom(app).endswith(PALETTE)
        await pilot.resize_terminal(120, 24)
        await wait_until(pilot, lambda: "…" not in bottom(app))
        assert footer_keys(app.screen) == [
            "tab Next", "space Toggle", "^z Undo", "/ Jump", "a Add", "^s Save", "w Why",
            "^q Quit", "? Help",
        ]  # fmt: skip
        await pilot.resize_terminal(80, 24)
        await wait_until(pilot, lambda: "…" in bottom(app))
        assert bottom(app) == padded(DRAW_80, 80)


def entry(key: str, description: str, action: str = "") -> FooterEntry:
    return FooterEntry(key, action or key, description, key, True, "")


def test_fit_drops_whole_keys_from_the_end_but_never_help() -> None:
    keys = (entry("a", "Add"), entry("b", "Board"), entry("?", "Help", "help"))
    assert fit(keys, 20) == list(keys)  # "a Add b Board ? Help"
    assert fit(keys, 19) == [keys[0], None, keys[2]]  # "a Add … ? Help"
    assert fit(keys, 14) == [keys[0], None, keys[2]]
    assert fit(keys, 13) == [None, keys[2]]  # "… ? Help"
    assert fit(keys, 8) == [None, keys[2]]
    assert fit(keys, 7) == [keys[2]]  # not even "…": the help key alone
    assert fit(keys, 5) == []
    # Help in the middle stays in place; "…" stands where the first key was left out.
    middle = (entry("a", "Add"), entry("?", "Help", "help"), entry("b", "Board"))
    assert fit(middle, 15) == [middle[0], middle[1], None]


async def test_a_key_check_action_dims_is_drawn_dim_and_only_rings_the_bell(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(mode="lesson")
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert "space 1 epoch" in footer_keys(screen)
        screen.busy = True  # epochs running: run, reset and trained do nothing (None)
        screen.refresh_bindings()
        await wait_until(pilot, lambda: "[space 1 epoch]" in footer_keys(screen))
        keys = footer_keys(screen)
        assert {"[space 1 epoch]", "[c 100]", "[k 1000]", "[0 Epoch 0]", "[m Trained]"} <= set(keys)
        assert "← Back" in keys and "? Help" in keys  # the others stay bright
        column = footer_column(screen, "c 100")
        assert footer_cells(screen)[column + 2] == ("1", False, True)  # its words dim too
        epoch = screen.lesson.epoch
        await pilot.click(KeyFooter, offset=(column, 0))
        await pilot.pause()
        assert bells == [1] and screen.lesson.epoch == epoch and screen.busy
        screen.busy = False
        screen.refresh_bindings()
        await wait_until(pilot, lambda: "space 1 epoch" in footer_keys(screen))
        assert not any(key.startswith("[") for key in footer_keys(screen))


async def test_a_click_on_a_key_presses_it(make_app: MakeApp) -> None:
    from textual.command import CommandPalette

    from letter_tui.app.screens.draw import DrawScreen
    from letter_tui.app.screens.help import HelpScreen

    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click(KeyFooter, offset=(footer_column(app.screen, "d Draw") + 3, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, DrawScreen))
        await pilot.pause()
        # "…" stands for the keys left out: a click on it shows them all (the help key).
        await pilot.click(KeyFooter, offset=(footer_column(app.screen, "…"), 0))
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        # The palette key at the right edge opens the command palette.
        await pilot.click(KeyFooter, offset=(footer_column(app.screen, "^p palette") + 4, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_hovering_a_key_highlights_it_and_gives_its_tooltip(make_app: MakeApp) -> None:
    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)

        def backgrounds() -> list[object]:
            strip = footer.render_line(0)
            return [style.bgcolor if style else None for text, style, _ in strip for _ in text]

        before = backgrounds()
        start = footer_column(app.screen, "t Train")
        await pilot.hover(KeyFooter, offset=(start + 2, 0))
        await wait_until(pilot, lambda: backgrounds() != before)
        after = backgrounds()
        changed = [x for x in range(len(after)) if after[x] != before[x]]
        assert changed == list(range(start, start + len("t Train")))  # the whole key, no more
        assert footer.tooltip == "Train"
        await pilot.hover(KeyFooter, offset=(footer_column(app.screen, "? Help"), 0))
        await wait_until(pilot, lambda: after != backgrounds())
        assert after[start] != backgrounds()[start] and footer.tooltip == "Help"


async def test_the_footer_is_one_widget_never_laid_out_again(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Train's bindings change on every keystroke in its form: the footer repaints its line
    when its keys changed, and is never laid out or rebuilt (that cost the training thread)."""
    calls: list[str] = []
    refresh, recompose = KeyFooter.refresh, KeyFooter.recompose

    def record_refresh(self: KeyFooter, *args: Any, **kwargs: Any) -> Any:
        calls.append("layout" if kwargs.get("layout") or kwargs.get("recompose") else "paint")
        return refresh(self, *args, **kwargs)

    async def record_recompose(self: KeyFooter) -> None:
        calls.append("recompose")
        await recompose(self)

    monkeypatch.setattr(KeyFooter, "refresh", record_refresh)
    monkeypatch.setattr(KeyFooter, "recompose", record_recompose)
    app = make_app(mode="train")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        assert not footer.children
        assert footer_keys(app.screen) == TRAIN_KEYS
        calls.clear()
        shown = footer.shown
        app.screen.refresh_bindings()  # nothing changed: nothing read anew is drawn
        await pilot.pause()
        assert footer.shown is shown and calls == []
        await pilot.press("e")  # the form: its own keys
        await wait_until(pilot, lambda: footer_keys(app.screen)[0] == "⏎ Start")
        assert footer_keys(app.screen)[:2] == ["⏎ Start", "esc Done editing"]
        for key in "123":
            await pilot.press(key)
        await pilot.press("escape")
        await wait_until(pilot, lambda: footer_keys(app.screen)[0] == "s Start")
        assert calls and set(calls) == {"paint"}
        assert not footer.children


async def test_the_first_frame_has_the_keys_and_no_second_paint_for_them(
    make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed: list[bool] = []
    update = KeyFooter.update_keys

    def record(self: KeyFooter) -> bool:
        changed.append(update(self))
        return changed[-1]

    monkeypatch.setattr(KeyFooter, "update_keys", record)
    app = make_app(mode="home")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert bottom(app) == padded(HOME_KEYS, 80)
        assert True not in changed  # the keys read for the first frame were already right
