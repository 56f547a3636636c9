"""What the noise did and why the network guessed: the marks on "You saw" in the quiz reveal
and Draw's why overlay, read from what the app draws (export_screenshot's text)."""

from __future__ import annotations

from pathlib import Path

import pytest

from letter_tui.app.screens import quiz as quiz_screen
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.effects import noise_margin
from letter_tui.core.quiz import QuizSettings, make_round
from tests.quiz_helpers import FakeClock, make_app, trained
from tests.train_support import screen_lines

ABC = load_bundled("abc")


def pixel_texts(app, grid_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    """What each pixel of the grid shows as text (its cells, row by row, joined)."""
    lines = screen_lines(app)
    grid = app.screen.query_one(grid_id)
    rows, cols = grid.shape
    s = grid.scale
    region = grid.content_region
    # Where the grid's pixels start inside the widget: centred, as LetterGrid draws them.
    left = region.x + max(0, (region.width - 2 * s * cols) // 2)
    top = region.y + max(0, (region.height - s * rows) // 2)
    out = []
    for r in range(rows):
        for c in range(cols):
            cells = []
            for k in range(s):
                line = lines[top + r * s + k].ljust(region.right)
                cells.append(line[left + 2 * s * c : left + 2 * s * (c + 1)])
            out.append("|".join(cells))
    return out


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_reveal_marks_every_flipped_pixel_and_says_how_far_the_next_letter_is(
    tmp_path: Path, monkeypatch, size: tuple[int, int]
) -> None:
    clock = FakeClock()
    monkeypatch.setattr(quiz_screen, "CLOCK", clock)
    seed, noise = 5, 0.2
    app = make_app(tmp_path, settings=QuizSettings(rounds=3, seed=seed, noise=noise))
    network = trained(ABC).network
    async with app.run_test(size=size) as pilot:
        for number in (1, 2, 3):
            rnd = make_round(ABC, network, seed, number, noise)
            await pilot.pause()
            clock.advance(1.0)
            await pilot.press(ABC.labels[0].lower())
            await pilot.pause()
            texts = pixel_texts(app, "#seen-grid")
            for i, text in enumerate(texts):
                flipped = rnd.bitmap[i] != rnd.clean[i]
                assert (set(text) == {"x", "|"}) == flipped, (number, i, text)
                assert ("x" in text) == flipped, (number, i, text)
            screen = "\n".join(screen_lines(app))
            margin = noise_margin(rnd.bitmap, ABC, rnd.letter)
            other = " or ".join(ABC.labels[i] for i in margin.others)
            truth = ABC.labels[rnd.letter]
            if margin.to_tie:
                assert f"{margin.to_tie} more flip" in screen
                # An even gap ends in a tie after to_tie flips, an odd one past it.
                if (margin.to_other - margin.to_truth) % 2 == 0:
                    assert f"look as much like {other} as {truth}" in screen
                else:
                    assert f"look more like {other} than {truth}" in screen
                assert f"({margin.to_other} from {other}, {margin.to_truth} from {truth}" in screen
            assert f"{rnd.flipped} pixel" in screen and "flipped (x)" in screen
            await pilot.press("enter")


def tied_within(noisy, letter: int, k: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether some set of k flips makes another letter at least as near as `letter`."""
    import itertools

    import numpy as np

    from letter_tui.core.evaluate import hamming_distances

    sets = list(itertools.combinations(range(ABC.size), k))
    X = np.repeat(noisy[None, :], max(1, len(sets)), axis=0)
    for row, pixels in enumerate(sets):
        X[row, list(pixels)] = 1 - X[row, list(pixels)]
    d = hamming_distances(X, ABC)
    others = np.delete(d, letter, axis=1).min(axis=1)
    return bool((others <= d[:, letter]).any())


def test_noise_margin_is_the_fewest_flips_to_a_tie_by_brute_force() -> None:
    import numpy as np

    rng = np.random.default_rng(3)
    checked = 0
    for _ in range(200):
        letter = int(rng.integers(len(ABC)))
        clean = np.array(ABC.bitmaps[letter])
        noisy = np.where(rng.random(ABC.size) < 0.35, 1 - clean, clean)
        margin = noise_margin(noisy, ABC, letter)
        if margin.to_tie > 3:
            continue
        checked += 1
        assert tied_within(noisy, letter, margin.to_tie)
        assert not any(tied_within(noisy, letter, k) for k in range(margin.to_tie))
    assert checked >= 20


async def test_draws_why_overlay_toggles_and_follows_the_drawing(tmp_path: Path) -> None:
    from letter_tui.core.effects import explain
    from tests.app_support import make_app as make_draw_app
    from tests.app_support import trained as trained_model

    app = make_draw_app(tmp_path, model=True)
    network = trained_model().network
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Units pushing" not in "\n".join(screen_lines(app))
        await pilot.press("w")
        await pilot.pause()
        before = pixel_texts(app, "#grid")
        screen = "\n".join(screen_lines(app))
        guess = app.alphabet.labels[explain(network, app.alphabet.bitmaps[0]).guess]
        assert f"Why {guess}:" in screen and f"Units pushing {guess} most (press 1-3" in screen
        assert any("+" in t for t in before)
        for _ in range(3):
            await pilot.press("space", "right", "down")
        await pilot.pause()
        after = pixel_texts(app, "#grid")
        assert after != before  # the overlay follows the drawing
        # 1 opens the unit listed first on its heatmap in Inside; escape comes back.
        from letter_tui.app.screens.inside import InsideScreen
        from letter_tui.app.widgets.why import top_units

        first = top_units(explain(network, app.alphabet.bitmaps[0]), 3)[0]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, InsideScreen)
        assert f"Hidden unit {first + 1} of" in "\n".join(screen_lines(app))
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert "Units pushing" not in "\n".join(screen_lines(app))
        assert not any("+" in t or "·" in t for t in pixel_texts(app, "#grid"))


def test_draw_why_overlay_snapshot(tmp_path: Path, snap_compare) -> None:
    from tests.app_support import make_app as make_draw_app

    app = make_draw_app(tmp_path, model=True)
    assert snap_compare(app, press=["w", "right", "down"], terminal_size=(80, 24))


async def test_draw_why_without_a_model_says_so(tmp_path: Path) -> None:
    from tests.app_support import make_app as make_draw_app

    app = make_draw_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        assert "no model can read this grid" in "\n".join(screen_lines(app))
