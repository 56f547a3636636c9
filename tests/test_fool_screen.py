"""The Fool screen, read from what it draws (export_screenshot), and its snapshot."""

from __future__ import annotations

from pathlib import Path

from letter_tui.core.effects import minimum_flips
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


def test_fool_snapshot(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, mode="fool", model=True, start_letter="A")
    assert snap_compare(app, press=["right", "right", "space", "m"], terminal_size=SIZE)


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
