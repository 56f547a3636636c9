"""Home uses its room: what the model reads (the key fact, on every size) and, where there is
room, the alphabet's letters drawn small, read back from the exported screen."""

from __future__ import annotations

import re
from pathlib import Path

from tests.app_support import make_app
from tests.contrast_support import screen_rows


async def home_text(root: Path, name: str, size: tuple[int, int]) -> str:
    app = make_app(root, name=name, mode="home", model=True)
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
