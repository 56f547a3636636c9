"""The Fool screen, read from what it draws (export_screenshot), and its snapshot."""

from __future__ import annotations

from pathlib import Path

from letter_tui.core.effects import flipped_grid, ideal_reading, minimum_flips
from letter_tui.core.names import clean_name
from tests.app_support import SIZE, make_app, trained
from tests.lesson_support import screen_text


async def test_flipping_to_a_win_and_the_minimum(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="fool", model=True, start_letter="B")
    alphabet = app.alphabet
    result = minimum_flips(trained().network, alphabet.bitmap("B"), 1, alphabet)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Letter B. Your flips: 0." in text
        assert "The network still reads B." in text
        assert f"Fewest flips that change the network's guess: {result.flips} (proven)" in text
        await pilot.press("m")
        await pilot.pause()
        assert "<>" in screen_text(app) and "hide them" in screen_text(app)
        # Flip the network's own fewest pixels: the network reads another letter.
        cols = alphabet.cols
        row = col = 0
        for p in result.pixels:
            r, c = divmod(p, cols)
            for _ in range((r - row) % alphabet.rows):
                await pilot.press("down")
            for _ in range((c - col) % cols):
                await pilot.press("right")
            row, col = r, c
            await pilot.press("space")
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert f"Your flips: {result.flips}." in text
        reads = alphabet.labels[result.reads]
        assert f"You win: the network reads {reads}" in text or f"reads {reads}, but" in text
        assert "x" in text
        # Starting over, and another letter.
        await pilot.press("r")
        await pilot.pause()
        assert "Letter B. Your flips: 0." in screen_text(app)
        await pilot.press("tab")
        await pilot.pause()
        assert "Letter C. Your flips: 0." in screen_text(app)


async def test_without_a_model_it_says_what_to_do(tmp_path: Path) -> None:
    app = make_app(tmp_path, mode="fool")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "Your flips: 1." in text and "No model fits this alphabet" in text


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the best-so-far lookup (a thread) so the picture does not depend on timing."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_fool_snapshot(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, mode="fool", model=True, start_letter="A")

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("right", "right", "space", "m")
        await _settled(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def winnable(alphabet):  # type: ignore[no-untyped-def]
    """The first letter whose network minimum is a win (the best possible reader still reads
    the letter), with that minimum."""
    network = trained().network
    for index in range(len(alphabet)):
        result = minimum_flips(network, alphabet.bitmaps[index], index, alphabet)
        shown = flipped_grid(alphabet.bitmaps[index], result.pixels)
        if result.found and ideal_reading(shown, alphabet) == (index,):
            return index, result
    raise AssertionError("no letter of the alphabet can be won on")


def test_fool_win_snapshot_at_120x40(tmp_path: Path, snap_compare, monkeypatch) -> None:
    """A win at 120x40: the minimum marked, the flips made, the new best (dated by a fixed
    clock, so the picture does not change with the day it is taken)."""
    from letter_tui.core import scores

    monkeypatch.setattr(scores, "utc_now", lambda: "2026-01-02T03:04:05+00:00")
    alphabet = make_app(tmp_path).alphabet
    index, result = winnable(alphabet)
    app = make_app(tmp_path, mode="fool", model=True, start_letter=alphabet.labels[index])
    app.player_name = clean_name("Sam")  # as --name gives it

    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("m")
        await flip(pilot, alphabet, result.pixels)
        await _settled(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 40))


async def flip(pilot, alphabet, pixels) -> None:  # type: ignore[no-untyped-def]
    """Move the cursor from the top left to each pixel in turn and flip it."""
    row = col = 0
    for p in pixels:
        r, c = divmod(p, alphabet.cols)
        for _ in range((r - row) % alphabet.rows):
            await pilot.press("down")
        for _ in range((c - col) % alphabet.cols):
            await pilot.press("right")
        row, col = r, c
        await pilot.press("space")


async def test_a_win_is_kept_as_the_letters_best(tmp_path: Path) -> None:
    """A win records the fewest flips in the scores database; more flips do not replace it;
    the best is shown again after leaving the letter and on a new app."""
    from letter_tui.core.scores import ScoreStore

    alphabet = make_app(tmp_path).alphabet
    index, result = winnable(alphabet)
    label = alphabet.labels[index]
    app = make_app(tmp_path, mode="fool", model=True, start_letter=label)
    app.player_name = clean_name("Sam")  # as --name gives it
    async with app.run_test(size=SIZE) as pilot:
        await _settled(pilot)
        assert f"Best so far for {label}: no win yet." in screen_text(app)
        await flip(pilot, alphabet, result.pixels)
        await _settled(pilot)
        text = screen_text(app)
        assert "You win" in text
        plural = "flip" if result.flips == 1 else "flips"
        assert f"New best! Best so far for {label}: {result.flips} {plural}, by Sam" in text
        best = ScoreStore(tmp_path / "scores.sqlite3").fool_best("abc", label)
        assert best is not None and (best.flips, best.name) == (result.flips, "Sam")
        await pilot.press("tab")
        await _settled(pilot)
        assert "no win yet" in screen_text(app)
        await pilot.press("shift+tab")
        await _settled(pilot)
        text = screen_text(app)
        assert f"Best so far for {label}: {result.flips} {plural}, by Sam" in text
        assert "New best!" not in text
    # Another player with more flips does not take it.
    ScoreStore(tmp_path / "scores.sqlite3").record_fool(
        "abc", label, result.flips + 3, clean_name("Zed")
    )
    again = make_app(tmp_path, mode="fool", model=True, start_letter=label)
    async with again.run_test(size=SIZE) as pilot:
        await _settled(pilot)
        assert f"{result.flips} {plural}, by Sam" in screen_text(again)


async def test_the_grid_marks_flips_and_the_minimum_by_shape(tmp_path: Path) -> None:
    """x on every pixel you flipped, <> on the network's fewest flips, <x> on a pixel both."""
    from tests.test_why_marks import pixel_texts

    app = make_app(tmp_path, mode="fool", model=True, start_letter="A")
    alphabet = app.alphabet
    result = minimum_flips(trained().network, alphabet.bitmap("A"), 0, alphabet)
    first = result.pixels[0]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        r, c = divmod(first, alphabet.cols)
        await pilot.press(*["down"] * r, *["right"] * c, "space")
        # Move the cursor off so its brackets do not cover the mark.
        await pilot.press("down" if r + 1 < alphabet.rows else "up")
        await pilot.press("m")
        await pilot.pause()
        texts = pixel_texts(app, "#fool-grid")
        for i, text in enumerate(texts):
            cells = text.replace("|", "")
            if i == first:
                assert cells.startswith("<") and cells.endswith(">") and "x" in cells, text
            elif i in result.pixels:
                assert set(cells) == {"<", ">"}, (i, text)
            else:
                assert not set(cells) & {"<", ">", "x"}, (i, text)
        await pilot.press("m")
        await pilot.pause()
        texts = pixel_texts(app, "#fool-grid")
        assert [i for i, t in enumerate(texts) if "x" in t] == [first]
        assert not any("<" in t for t in texts)
