"""Every letter and digit a player reads reaches WCAG AA contrast (4.5:1).

Two checks. The text roles the app defines (the theme's muted text, as the app adjusts it,
and the palette's named colours) are computed against the theme's backgrounds. And the
screens a player reads are rendered at 80x24 with Pilot and exported with the public
`App.export_screenshot()`; every letter or digit cell's foreground is compared with the
background rect under it (tests/contrast_support.py): Home, Draw, Draw's help, Train after
a run, Inside's four views, a quiz round, its reveal, the summary and Scores.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.color import Color

from letter_tui.app import palette
from letter_tui.app.screens import quiz as quiz_screen
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.quiz import QuizSettings, make_round
from tests import quiz_helpers, train_support
from tests.app_support import make_app
from tests.contrast_support import AA, low_contrast, screen_rows

SIZE = (80, 24)
ABC = load_bundled("abc")


def describe(name: str, svg: str) -> str:
    """Which cells fail, one line per row and colour pair."""
    rows = screen_rows(svg)
    bad = low_contrast(svg)
    lines = [f"{name}: {len(bad)} letter/digit cells below {AA}:1"]
    seen = set()
    for cell in bad:
        if (cell.row, cell.fg, cell.bg) not in seen:
            seen.add((cell.row, cell.fg, cell.bg))
            lines.append(f"  row {cell.row}: {cell.fg} on {cell.bg} ({cell.ratio:.2f}:1)")
            lines.append(f"    {rows[cell.row].rstrip()}")
    return "\n".join(lines)


def test_the_text_roles_read_on_the_theme_backgrounds(tmp_path: Path) -> None:
    variables = make_app(tmp_path, mode="home").get_css_variables()
    grounds = {k: Color.parse(variables[k]) for k in ("background", "surface", "panel")}
    floor = grounds["background"]
    roles = {"muted text": variables["text-muted"], "primary text": variables["text-primary"]}
    roles |= {f"palette: {name}": colour for name, colour in palette.TEXT_COLOURS.items()}
    for role, colour in roles.items():
        for ground_name, ground in grounds.items():
            ratio = palette.contrast(floor + Color.parse(colour), floor + ground)
            assert ratio >= AA, f"{role} {colour} on {ground_name}: {ratio:.2f}:1"


def test_muted_text_reads_in_every_builtin_theme_that_can(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="home")
    for theme in app.available_themes:
        app.theme = theme
        variables = app.get_css_variables()
        floor = Color.parse(variables["background"])
        muted = floor + Color.parse(variables["text-muted"])
        foreground = floor + Color.parse(variables["foreground"])
        for ground_name in ("background", "surface"):
            ground = floor + Color.parse(variables[ground_name])
            ratio = palette.contrast(muted, ground)
            # A theme whose own foreground is fainter (solarized-light on its surface, 4.4:1)
            # gets its foreground: muted text is never fainter than that.
            wanted = min(AA, palette.contrast(foreground, ground))
            assert ratio >= wanted, f"{theme}: muted text on {ground_name}: {ratio:.2f}:1"


def label(number: int, right: bool) -> str:
    rnd = make_round(ABC, quiz_helpers.trained(ABC).network, 5, number, 0.2)
    return ABC.labels[rnd.letter if right else (rnd.letter + 1) % len(ABC)]


async def home_and_draw(root: Path) -> dict[str, str]:
    shots = {}
    app = make_app(root, mode="home", model=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shots["home"] = app.export_screenshot()
        await pilot.press("d")
        await pilot.press("right", "right", "space", "down")
        await pilot.pause()
        shots["draw"] = app.export_screenshot()
        await pilot.press("question_mark")
        await pilot.pause()
        shots["draw's help"] = app.export_screenshot()
    return shots


async def train_and_inside(root: Path) -> dict[str, str]:
    shots = {}
    app = train_support.make_app(root)
    async with app.run_test(size=SIZE) as pilot:
        await train_support.press_while_training(pilot, "s")
        await train_support.settle(pilot)
        shots["train after a run"] = app.export_screenshot()
        await pilot.press("i")
        await train_support.settle(pilot)
        for view in "1234":
            await pilot.press(view)
            await train_support.settle(pilot)
            shots[f"inside view {view}"] = app.export_screenshot()
    return shots


async def quiz(root: Path, clock: quiz_helpers.FakeClock) -> dict[str, str]:
    shots = {}
    app = quiz_helpers.make_app(root, settings=QuizSettings(rounds=3, seed=5))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shots["quiz round"] = app.export_screenshot()
        clock.advance(1.2)
        await pilot.press(label(1, right=False))
        await pilot.pause()
        shots["quiz reveal"] = app.export_screenshot()
        await pilot.press("enter")
        for number in (2, 3):
            clock.advance(0.8 * number)
            await pilot.press(label(number, True), "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shots["quiz summary"] = app.export_screenshot()
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        shots["scores"] = app.export_screenshot()
    return shots


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> quiz_helpers.FakeClock:
    fake = quiz_helpers.FakeClock()
    monkeypatch.setattr(quiz_screen, "CLOCK", fake)
    return fake


def assert_legible(shots: dict[str, str]) -> None:
    failures = [describe(name, svg) for name, svg in shots.items() if low_contrast(svg)]
    assert not failures, "\n".join(failures)


async def test_home_draw_and_help_are_legible(tmp_path: Path) -> None:
    assert_legible(await home_and_draw(tmp_path))


async def test_train_and_inside_are_legible(tmp_path: Path) -> None:
    assert_legible(await train_and_inside(tmp_path))


async def test_the_quiz_setup_is_legible(tmp_path: Path) -> None:
    app = quiz_helpers.make_app(tmp_path, settings=None)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "QuizSetup"
        assert_legible({"quiz setup": app.export_screenshot()})


async def test_quiz_and_scores_are_legible(tmp_path: Path, clock: quiz_helpers.FakeClock) -> None:
    assert_legible(await quiz(tmp_path, clock))
