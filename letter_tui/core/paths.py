"""Where data lives: bundled read-only assets, and the user's own files."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

APP_NAME = "letter-tui"
DATA_DIR_ENV = "LETTER_TUI_DATA_DIR"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The user's data folder: `override`, else $LETTER_TUI_DATA_DIR, else the platform's."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def alphabets_dir(root: Path) -> Path:
    return root / "alphabets"


def models_dir(root: Path) -> Path:
    return root / "models"


def scores_path(root: Path) -> Path:
    return root / "scores.sqlite3"


def assets() -> Traversable:
    """The bundled assets folder, in an installed wheel or in an editable checkout."""
    packaged = resources.files("letter_tui") / "assets"
    if packaged.is_dir():
        return packaged
    # An editable install imports the package from the source tree, where the
    # assets sit beside the package rather than inside it.
    return Path(__file__).resolve().parents[2] / "assets"


@functools.cache
def bundled_alphabet_names() -> tuple[str, ...]:
    # Read-only files shipped with the package: listed once per process, not on every
    # redraw of the home screen's state.
    folder = assets() / "alphabets"
    return tuple(sorted(item.name[:-4] for item in folder.iterdir() if item.name.endswith(".txt")))


def bundled_alphabet_text(name: str) -> str:
    return (assets() / "alphabets" / f"{name}.txt").read_text(encoding="utf-8")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))
