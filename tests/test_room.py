"""Screens use their room, read back from the exported screen: Home says what the model reads
(on every size) and draws the alphabet's letters where there is room; Train's form says in
one line what each setting does at 120x40, and stays as it was at 80x24."""

from __future__ import annotations

import re
from pathlib import Path

from tests.app_support import make_app
from tests.contrast_support import screen_rows


async def home_text(root: Path, name: str, size: tuple[int, int], *, model: bool = True) -> str:
    app = make_app(root, name=name, mode="home", model=model)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = screen_rows(app.export_screenshot())
    return "\n".join(rows[r] for r in sorted(rows))


async def test_home_says_how_well_the_model_reads(tmp_path: Path) -> None:
    text = await home_text(tmp_path, "abc", (80, 24))
    # The share itself is the model's (Inside's noise chart shows the same number).
    assert re.search(r"reads \d+\.\d% of noisy letters right at noise 0\.10", text), text


async def test_home_draws_the_alphabet_where_there_is_room(tmp_path: Path) -> None:
    text = await home_text(tmp_path, "az", (120, 40))
    labels = [line.split() for line in text.splitlines()]
    # Every label of az under its small letter, in two rows of letters at 120 columns.
    shown = [word for words in labels if all(len(w) == 1 for w in words) for word in words]
    assert "".join(shown).endswith("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert "▀" in text and "█" in text


async def test_home_counts_no_more_letters_when_none_fits(tmp_path: Path) -> None:
    # A first start at 80x24: no model yet, so the state lines leave no room to draw a letter;
    # the state line names them ("and 3 more letters" under no letters read wrong).
    text = await home_text(tmp_path, "abc", (80, 24), model=False)
    assert "more letters" not in text, text
    assert "3 letters (A B C)" in text, text


async def train_text(root: Path, size: tuple[int, int]) -> str:
    from tests import train_support

    app = train_support.make_app(root)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        rows = screen_rows(app.export_screenshot())
    return "\n".join(rows[r] for r in sorted(rows))


async def test_train_explains_each_setting_in_a_line_at_120x40(tmp_path: Path) -> None:
    from letter_tui.app.widgets.train_form import first_sentence
    from letter_tui.core.training import FIELDS

    wide = await train_text(tmp_path / "wide", (120, 40))
    narrow = await train_text(tmp_path / "narrow", (80, 24))
    for field in FIELDS:
        line = first_sentence(field.help)
        # Cut with an ellipsis when longer than the form: its start is always there.
        assert line[:20] in wide, field.name
        assert line[:20] not in narrow, field.name


async def test_the_progress_bar_grows_with_the_room(tmp_path: Path) -> None:
    def bar(text: str) -> int:
        # The progress row is the one line with the bar's heavy rule.
        return max(line.count("━") for line in text.splitlines())

    narrow = await train_text(tmp_path / "narrow", (80, 24))
    wide = await train_text(tmp_path / "wide", (120, 40))
    assert bar(narrow) == 14  # as it always was at 80x24
    assert bar(wide) >= 20
