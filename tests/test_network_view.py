"""Inside's forward pass drawn as a network: each hidden unit's map beside how it fires and
its strongest connections to the outputs, read from what the app draws (export_screenshot)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from letter_tui.app.views.inside_data import forward_pass
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.model_io import Model
from tests.train_support import make_app, quick_model, screen_lines, settle


def unit_lines(app) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
    """The hidden-units box's text after each unit's map: {unit (1-based): its 3 lines}."""
    region = app.screen.query_one("#hidden").region
    lines = [line[region.x : region.right] for line in screen_lines(app)]
    lines = lines[region.y : region.bottom]
    out: dict[int, list[str]] = {}
    for i, line in enumerate(lines):
        text = line.strip("│ ").split("▀")[-1].strip()
        head = text.split(" ")[0]
        if head.isdigit() and "→" not in text and "more, pushing" not in text:
            out[int(head)] = [text] + [lines[i + k].split("▀")[-1].strip("│ ") for k in (1, 2)]
    return out


def expected(model: Model, letter: int, unit: int) -> list[str]:
    alphabet = load_bundled(model.meta.alphabet)
    fp = forward_pass(model.network, alphabet.bitmaps[letter])
    w2 = model.network.W2
    guess = fp.best
    others = [i for i in range(w2.shape[1]) if i != guess]
    other = max(others, key=lambda i: abs(w2[unit, i]))
    labels = alphabet.labels
    return [
        f"{fp.hidden[unit]:.2f}",
        f"→ {labels[guess]} {w2[unit, guess]:+.1f}",
        f"→ {labels[other]} {w2[unit, other]:+.1f}",
    ]


async def test_every_abc_unit_fires_and_connects_as_the_model_says(tmp_path: Path) -> None:
    app = make_app(tmp_path, model=True)
    model = quick_model()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2")
        await pilot.pause()
        for letter in range(3):
            units = unit_lines(app)
            assert sorted(units) == [1, 2, 3, 4, 5]  # all five fit, in their own order
            for unit, lines in units.items():
                fires, to_guess, to_other = expected(model, letter, unit - 1)
                assert lines[0].endswith(fires), (letter, unit, lines)
                assert lines[1:] == [to_guess, to_other], (letter, unit, lines)
            assert "more, pushing" not in "\n".join(screen_lines(app))
            await pilot.press("right_square_bracket")
            await pilot.pause()


async def test_az_shows_the_units_that_matter_most_and_how_many_are_hidden(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, "az", model=True)
    model = quick_model("az")
    alphabet = load_bundled("az")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", *["right_square_bracket"] * 4)  # E
        await pilot.pause()
        units = unit_lines(app)
        fp = forward_pass(model.network, alphabet.bitmaps[4])
        push = np.abs(np.asarray(fp.hidden) * model.network.W2[:, fp.best])
        top = set(int(u) + 1 for u in np.argsort(-push, kind="stable")[: len(units)])
        assert set(units) == top
        hidden = model.meta.hidden - len(units)
        label = alphabet.labels[fp.best]
        assert f"{hidden} more, pushing {label} less" in "\n".join(screen_lines(app))
        for unit, lines in units.items():
            assert lines[1:] == expected(model, 4, unit - 1)[1:]


def test_forward_pass_as_a_network_snapshot(snap_compare, tmp_path: Path) -> None:
    app = make_app(tmp_path, model=True)

    async def look(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", "right_square_bracket")

    assert snap_compare(app, terminal_size=(80, 24), run_before=look)


async def test_the_input_marks_what_the_noise_flipped_and_grows_when_wide(
    tmp_path: Path,
) -> None:
    from letter_tui.core.noise import flip
    from tests.test_why_marks import pixel_texts

    app = make_app(tmp_path, model=True)
    alphabet = load_bundled("abc")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await settle(pilot)
        await pilot.press("2", "plus", "plus", "plus")
        await pilot.pause()
        clean = np.asarray([alphabet.bitmaps[0]], dtype=np.float64)
        noisy = flip(clean, 0.15, np.random.default_rng((0, 0)))[0]
        flipped = [i for i in range(alphabet.size) if noisy[i] != clean[0, i]]
        assert flipped  # this seed flips some
        texts = pixel_texts(app, "#input")
        assert [i for i, t in enumerate(texts) if "x" in t] == flipped
        small = app.screen.query_one("#input").scale
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.screen.query_one("#input").scale > small
        texts = pixel_texts(app, "#input")
        assert [i for i, t in enumerate(texts) if "x" in t] == flipped
