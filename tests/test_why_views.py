"""The why overlay in the quiz reveal ("You saw") and in Inside's forward pass, and the units
it lists opening their heatmaps in Inside, read from what the app draws (export_screenshot)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letter_tui.app.screens import quiz as quiz_screen
from letter_tui.app.screens.inside import InsideScreen
from letter_tui.app.widgets.marked_grid import why_marks
from letter_tui.app.widgets.why import top_units, unit_label
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.effects import explain
from letter_tui.core.quiz import QuizSettings, make_round
from tests.quiz_helpers import FakeClock, make_app, trained
from tests.test_why_marks import pixel_texts
from tests.train_support import make_app as make_train_app
from tests.train_support import quick_model, screen_lines, settle

ABC = load_bundled("abc")
SEED = 5


def screen(app) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(screen_lines(app))


def assert_why_on_grid(texts: list[str], effects, flipped=None) -> None:  # type: ignore[no-untyped-def]
    """Each pixel shows its why sign (and an x first where the noise flipped it)."""
    for mark, text in zip(why_marks(effects), texts, strict=True):
        # A lit pixel's unmarked row is drawn in blocks (LetterGrid): the mark is the rest.
        shown = text.replace("|", "").replace("█", "").strip()
        expected = ("x" if flipped and flipped[mark.index] else "") + mark.text
        assert shown == expected, (mark.index, text, expected)


@pytest.fixture
def clock(monkeypatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(quiz_screen, "CLOCK", fake)
    return fake


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_reveal_says_why_and_its_units_open_in_inside(
    tmp_path: Path, clock: FakeClock, size: tuple[int, int]
) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=2, seed=SEED, noise=0.2))
    network = trained(ABC).network
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        clock.advance(1.0)
        await pilot.press("a")
        await pilot.pause()
        assert "Units pushing" not in screen(app)
        assert "w Why" in screen(app)  # the footer offers it
        await pilot.press("w")
        await pilot.pause()
        rnd = make_round(ABC, network, SEED, 1, 0.2)
        explanation = explain(network, rnd.bitmap)
        guess = ABC.labels[explanation.guess]
        flipped = [a != b for a, b in zip(rnd.bitmap, rnd.clean, strict=True)]
        assert_why_on_grid(pixel_texts(app, "#seen-grid"), explanation.effects, flipped)
        units = top_units(explanation, 3)
        listed = ", ".join(f"[{k}] {unit_label(explanation, u)}" for k, u in enumerate(units, 1))
        text = screen(app)
        assert f"Why {guess}: ++ + (red) push toward it" in text
        # The list may wrap onto a second line at 80 columns: read it as one.
        said = f"Units pushing {guess} (press 1-3 to look inside): {listed}"
        assert said in " ".join(text.split())
        assert "1-3 Look inside" in text
        # The second unit listed opens on its heatmap in Inside; escape comes back.
        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, InsideScreen)
        text = screen(app)
        assert f"Hidden unit {units[1] + 1} of" in text and f"▶{units[1] + 1}" in text
        await pilot.press("escape")
        await pilot.pause()
        assert f"Units pushing {guess}" in screen(app)
        # The overlay stays on for the next round's reveal, and w turns it off.
        await pilot.press("enter")
        await pilot.pause()
        clock.advance(1.0)
        await pilot.press("b")
        await pilot.pause()
        rnd = make_round(ABC, network, SEED, 2, 0.2)
        explanation = explain(network, rnd.bitmap)
        flipped = [a != b for a, b in zip(rnd.bitmap, rnd.clean, strict=True)]
        assert_why_on_grid(pixel_texts(app, "#seen-grid"), explanation.effects, flipped)
        await pilot.press("w")
        await pilot.pause()
        assert "Units pushing" not in screen(app)
        texts = pixel_texts(app, "#seen-grid")
        assert [i for i, t in enumerate(texts) if "x" in t] == [
            i for i, f in enumerate(flipped) if f
        ]
        assert not any("+" in t or "·" in t for t in texts)


async def test_insides_forward_pass_says_why_and_a_listed_unit_opens(tmp_path: Path) -> None:
    app = make_train_app(tmp_path, model=True)
    network = quick_model().network
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", "right_square_bracket")
        await pilot.pause()
        assert "Push on" not in screen(app)
        await pilot.press("w")
        await pilot.pause()
        explanation = explain(network, ABC.bitmaps[1])
        guess = ABC.labels[explanation.guess]
        assert_why_on_grid(pixel_texts(app, "#input"), explanation.effects)
        text = screen(app)
        assert f"Push on {guess}" in text
        assert f"Why {guess}: ++ + push toward it (red), -- - against (blue), · little" in text
        units = top_units(explanation, 5)
        lines = [line for line in screen_lines(app) if "unit " in line]
        assert [line.split("│")[1].strip() for line in lines] == [
            unit_label(explanation, u) for u in units
        ]
        # The letter changes: the overlay follows it.
        await pilot.press("right_square_bracket")
        await pilot.pause()
        explanation = explain(network, ABC.bitmaps[2])
        assert_why_on_grid(pixel_texts(app, "#input"), explanation.effects)
        units = top_units(explanation, 5)
        # Down and enter: the second unit's heatmap in the Units view.
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one("TabbedContent").active == "units"
        text = screen(app)
        assert f"Hidden unit {units[1] + 1} of 5" in text and f"▶{units[1] + 1}" in text
        # Back on the forward pass the arrows are the list's again; w turns it all off.
        await pilot.press("2", "w")
        await pilot.pause()
        assert "Push on" not in screen(app)
        assert not any("+" in t or "·" in t for t in pixel_texts(app, "#input"))


def test_reveal_why_snapshot(snap_compare, tmp_path: Path, clock: FakeClock) -> None:
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=SEED, noise=0.2))

    async def answer(pilot) -> None:  # type: ignore[no-untyped-def]
        clock.advance(1.2)
        await pilot.press("b", "w")

    assert snap_compare(app, terminal_size=(80, 24), run_before=answer)


def test_inside_forward_why_snapshot(snap_compare, tmp_path: Path) -> None:
    app = make_train_app(tmp_path, model=True)

    async def look(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", "w")

    assert snap_compare(app, terminal_size=(80, 24), run_before=look)


def test_inside_forward_why_snapshot_at_120x40(snap_compare, tmp_path: Path) -> None:
    app = make_train_app(tmp_path, model=True)

    async def look(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", "right_square_bracket", "w")

    assert snap_compare(app, terminal_size=(120, 40), run_before=look)


async def test_az_lists_the_units_that_push_most_and_how_many_more(tmp_path: Path) -> None:
    """az's 64 units: the five that push the guess most, and how many are left out. (Read
    here, not in a snapshot: with 64 units near-equal pushes could swap places on another
    machine's arithmetic.)"""
    app = make_train_app(tmp_path, "az", model=True)
    network = quick_model("az").network
    alphabet = load_bundled("az")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", "w")
        await pilot.pause()
        explanation = explain(network, alphabet.bitmaps[0])
        text = screen(app)
        assert f"Push on {alphabet.labels[explanation.guess]}" in text
        assert f"{len(explanation.contributions) - 5} more" in text
        lines = [line for line in screen_lines(app) if "│ unit " in line]
        listed = {int(line.split("│ unit ")[1].split()[0]) - 1 for line in lines}
        assert listed == set(top_units(explanation, 5))


async def test_a_round_seen_again_from_the_summary_says_why_too(
    tmp_path: Path, clock: FakeClock
) -> None:
    from letter_tui.app.screens.quiz_replay import ReplayScreen

    app = make_app(tmp_path, settings=QuizSettings(rounds=1, seed=SEED, noise=0.2))
    network = trained(ABC).network
    rnd = make_round(ABC, network, SEED, 1, 0.2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        clock.advance(1.0)
        # Wrong where the network is right: the round is listed on the summary to see again.
        await pilot.press(ABC.labels[(rnd.letter + 1) % len(ABC)], "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
        await pilot.press("w")
        await pilot.pause()
        explanation = explain(network, rnd.bitmap)
        guess = ABC.labels[explanation.guess]
        units = top_units(explanation, 3)
        assert f"Units pushing {guess} (press 1-3 to look inside)" in screen(app)
        await pilot.press("3")
        await settle(pilot)
        assert isinstance(app.screen, InsideScreen)
        assert f"Hidden unit {units[2] + 1} of" in screen(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReplayScreen)
