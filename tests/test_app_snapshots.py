"""SVG snapshots of home, Draw and help at 80x24 (regenerate with --snapshot-update, on purpose)."""

from __future__ import annotations

from pathlib import Path

from app_support import SIZE, make_app


async def _measured(pilot) -> None:  # type: ignore[no-untyped-def]
    """Home measures how well the model reads in a worker: wait for its line."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, mode="home", model=True)
    assert snap_compare(app, terminal_size=SIZE, run_before=_measured)


def test_home_at_120x40_shows_the_letters(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, name="az", mode="home", model=True)
    assert snap_compare(app, terminal_size=(120, 40), run_before=_measured)


def test_draw_with_live_guess(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, mode="draw", model=True)
    assert snap_compare(app, press=["right", "right", "space", "down"], terminal_size=SIZE)


def test_draw_at_120x40(tmp_path: Path, snap_compare) -> None:
    # The letter grows with the room: four cells per pixel row here, three at 80x24.
    app = make_app(tmp_path, mode="draw", model=True)
    assert snap_compare(app, press=["right", "right", "space", "down"], terminal_size=(120, 40))


def test_draw_without_a_model(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, mode="draw", name="az")
    assert snap_compare(app, press=["tab"], terminal_size=SIZE)


def test_draw_help(tmp_path: Path, snap_compare) -> None:
    app = make_app(tmp_path, mode="draw")
    assert snap_compare(app, press=["question_mark"], terminal_size=SIZE)


def test_too_small(tmp_path: Path, snap_compare) -> None:
    assert snap_compare(make_app(tmp_path, mode="draw"), terminal_size=(60, 16))
