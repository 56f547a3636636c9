"""Where data lives: bundled read-only assets, and the user's own files."""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.abc import Traversable

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
    # A package on disk is a plain folder, found without importlib.resources: its first use
    # imports its zip readers, about 7 ms that Home's first frame waited for (it names the
    # bundled alphabets). resources only for a package imported from a zip file.
    package = Path(__file__).resolve().parents[1]
    if (package / "assets").is_dir():  # an installed wheel
        return package / "assets"
    # An editable install imports the package from the source tree, where the
    # assets sit beside the package rather than inside it.
    if (package.parent / "assets" / "alphabets").is_dir():
        return package.parent / "assets"
    from importlib import resources

    return resources.files("letter_tui") / "assets"


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
