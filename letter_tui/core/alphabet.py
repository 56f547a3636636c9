"""Alphabets: labelled letter bitmaps, and their plain-text, diff-friendly file format.

    ; a comment
    A:
    ..##..
    .#..#.
    ######
    #....#
    #....#

A label line holds one printable character and a colon; then one line per grid row,
`#` on and `.` off; blank lines between letters. All letters of a file share one grid size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from letter_tui.core import paths
from letter_tui.core.errors import AlphabetError

if TYPE_CHECKING:
    import numpy as np

MIN_SIDE = 3
MAX_SIDE = 16
ON, OFF = "#", "."
UNKNOWN = "?"
MAX_FILE_BYTES = 1_000_000

Bitmap = tuple[int, ...]


@dataclass(frozen=True)
class Alphabet:
    """An immutable set of labelled bitmaps of one grid size (rows x cols, row-major 0/1)."""

    name: str
    rows: int
    cols: int
    labels: tuple[str, ...]
    bitmaps: tuple[Bitmap, ...]

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.bitmaps):
            raise ValueError("labels and bitmaps differ in length")
        size = self.rows * self.cols
        for bitmap in self.bitmaps:
            if len(bitmap) != size:
                raise ValueError(
                    f"bitmap of {len(bitmap)} pixels in a {self.rows}x{self.cols} grid"
                )

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def size(self) -> int:
        return self.rows * self.cols

    def index(self, label: str) -> int:
        return self.labels.index(label)

    def bitmap(self, label: str) -> Bitmap:
        return self.bitmaps[self.index(label)]

    def matrix(self) -> np.ndarray:
        """Every letter as a row of floats: shape (letters, rows * cols)."""
        # NumPy is imported on first use: the app draws its first frame without it.
        import numpy as np

        return np.array(self.bitmaps, dtype=np.float64).reshape(len(self), self.size)

    def targets(self) -> np.ndarray:
        """One-hot rows, in label order: the tutorial's `y`."""
        import numpy as np

        return np.eye(len(self), dtype=np.float64)

    def signature(self) -> str:
        """What a model depends on: the labels in order and the grid size (not the pixels)."""
        return f"{self.rows}x{self.cols}:" + "".join(self.labels)

    def pixels_digest(self) -> str:
        import hashlib  # here, not at the top: not on the way to the first frame

        data = repr((self.rows, self.cols, self.labels, self.bitmaps)).encode()
        return hashlib.sha256(data).hexdigest()[:16]

    # Editing returns new alphabets: immutable values are safe in Textual reactives and undo stacks.
    def with_bitmap(self, index: int, bitmap: Sequence[int]) -> Alphabet:
        bitmaps = list(self.bitmaps)
        bitmaps[index] = tuple(int(bool(v)) for v in bitmap)
        return Alphabet(self.name, self.rows, self.cols, self.labels, tuple(bitmaps))

    def with_letter(self, label: str, bitmap: Sequence[int] | None = None) -> Alphabet:
        check_label(label, self.labels)
        new = tuple(int(bool(v)) for v in bitmap) if bitmap is not None else (0,) * self.size
        return Alphabet(
            self.name, self.rows, self.cols, (*self.labels, label), (*self.bitmaps, new)
        )

    def renamed(self, index: int, label: str) -> Alphabet:
        others = self.labels[:index] + self.labels[index + 1 :]
        check_label(label, others)
        labels = list(self.labels)
        labels[index] = label
        return Alphabet(self.name, self.rows, self.cols, tuple(labels), self.bitmaps)

    def without(self, index: int) -> Alphabet:
        return Alphabet(
            self.name,
            self.rows,
            self.cols,
            self.labels[:index] + self.labels[index + 1 :],
            self.bitmaps[:index] + self.bitmaps[index + 1 :],
        )


def label_problem(label: str, existing: Iterable[str] = ()) -> str | None:
    """Why `label` cannot name a letter, or None when it can."""
    if len(label) != 1:
        return f"a label is one character, not {label!r}"
    if not label.isprintable() or label.isspace():
        return f"a label must be a printable, visible character, not {label!r}"
    if label in (UNKNOWN, ";", ":"):
        return f"{label!r} is reserved and cannot be a label"
    for other in existing:
        # The quiz takes answers case-insensitively, so 'a' and 'A' would be the same key.
        if other.casefold() == label.casefold():
            return f"label {label!r} is already used" + (
                f" (as {other!r}; labels ignore case)" if other != label else ""
            )
    return None


def check_label(label: str, existing: Iterable[str] = ()) -> None:
    problem = label_problem(label, existing)
    if problem:
        raise ValueError(problem)


@dataclass(frozen=True)
class Grid:
    """One grid read from a file: its label (may be '?') and where it started."""

    label: str
    bitmap: Bitmap
    line: int


def parse_grids(
    text: str, *, path: str | Path = "<text>", repeats: bool = False, unknown: bool = False
) -> tuple[int, int, list[Grid]]:
    """Read grids in the alphabet format; returns (rows, cols, grids).

    With `repeats` a label may appear more than once and with `unknown` '?' is allowed:
    that is the format of files given to `letter-tui predict`.
    """
    if not text.strip():
        raise AlphabetError(
            "the file is empty",
            path=path,
            hint="add letters: a label line like 'A:' then rows of '#' and '.'",
        )
    grids: list[Grid] = []
    label: str | None = None
    label_line = 0
    rows: list[str] = []
    shape: tuple[int, int] | None = None
    shape_line = 0
    seen: dict[str, int] = {}

    def finish() -> None:
        nonlocal label, rows, shape, shape_line
        if label is None:
            return
        if not rows:
            raise AlphabetError(
                f"letter {label!r} has no rows",
                path=path,
                line=label_line,
                hint="put its rows of '#' and '.' right under the label line",
            )
        here = (len(rows), len(rows[0]))
        if not (MIN_SIDE <= here[0] <= MAX_SIDE and MIN_SIDE <= here[1] <= MAX_SIDE):
            too = "large" if max(here) > MAX_SIDE else "small"
            raise AlphabetError(
                f"letter {label!r} is {here[0]} rows x {here[1]} columns: grid too {too}",
                path=path,
                line=label_line,
                hint=f"grids are {MIN_SIDE}x{MIN_SIDE} to {MAX_SIDE}x{MAX_SIDE}",
            )
        if shape is None:
            shape, shape_line = here, label_line
        elif here != shape:
            raise AlphabetError(
                f"letter {label!r} is {here[0]}x{here[1]} but the first letter "
                f"(line {shape_line}) is {shape[0]}x{shape[1]}",
                path=path,
                line=label_line,
                hint="all letters of a file share one grid size",
            )
        bitmap = tuple(1 if ch == ON else 0 for row in rows for ch in row)
        grids.append(Grid(label, bitmap, label_line))
        label, rows = None, []

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line.startswith(";"):
            continue
        if not line:
            finish()
            continue
        if line.endswith(":"):
            finish()
            candidate = line[:-1]
            earlier = None if repeats else _fold(candidate, seen)
            if candidate == UNKNOWN and unknown:
                problem = None
            elif earlier is not None:
                same = "" if earlier == candidate else f" as {earlier!r} (labels ignore case)"
                raise AlphabetError(
                    f"label {candidate!r} is already used{same} on line {seen[earlier]}",
                    path=path,
                    line=number,
                    hint="give each letter its own label",
                )
            else:
                problem = label_problem(candidate)
            if problem:
                raise AlphabetError(
                    problem,
                    path=path,
                    line=number,
                    hint="a label line is one character and a colon, like 'A:'",
                )
            label, label_line = candidate, number
            seen.setdefault(candidate, number)
            continue
        if label is None:
            raise AlphabetError(
                f"a grid row with no label above it: {_show(line)}",
                path=path,
                line=number,
                hint="start each letter with a label line like 'A:'",
            )
        for column, ch in enumerate(line, start=1):
            if ch not in (ON, OFF):
                raise AlphabetError(
                    f"unexpected character {ch!r} in column {column}",
                    path=path,
                    line=number,
                    hint="rows use '#' for on and '.' for off",
                )
        if rows and len(line) != len(rows[0]):
            raise AlphabetError(
                f"row has {len(line)} columns but the rows above have {len(rows[0])}",
                path=path,
                line=number,
                hint="every row of a letter has the same width",
            )
        if len(rows) >= MAX_SIDE or len(line) > MAX_SIDE:
            raise AlphabetError(
                f"letter {label!r} is larger than {MAX_SIDE}x{MAX_SIDE}: grid too large",
                path=path,
                line=number,
                hint=f"grids are {MIN_SIDE}x{MIN_SIDE} to {MAX_SIDE}x{MAX_SIDE}",
            )
        rows.append(line)
    finish()
    if not grids or shape is None:
        raise AlphabetError(
            "no letters in the file",
            path=path,
            hint="add a label line like 'A:' followed by rows of '#' and '.'",
        )
    return shape[0], shape[1], grids


def _fold(label: str, seen: dict[str, int]) -> str | None:
    for other in seen:
        if other.casefold() == label.casefold():
            return other
    return None


def _show(line: str) -> str:
    shown = line if len(line) <= 20 else line[:20] + "..."
    return repr(shown)


def parse_alphabet(text: str, name: str = "alphabet", *, path: str | Path = "<text>") -> Alphabet:
    rows, cols, grids = parse_grids(text, path=path)
    return Alphabet(name, rows, cols, tuple(g.label for g in grids), tuple(g.bitmap for g in grids))


def decode(data: bytes, path: str | Path) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise AlphabetError(
            f"the file is {len(data)} bytes, more than an alphabet can be",
            path=path,
            hint=f"alphabet files are at most {MAX_FILE_BYTES} bytes",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise AlphabetError(
            f"bytes that are not UTF-8 text at byte {error.start}",
            path=path,
            line=line,
            hint="save the file as UTF-8 text",
        ) from None


def read_text_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AlphabetError("no such file", path=path, hint="check the path", exit_code=2) from None
    except IsADirectoryError:
        raise AlphabetError(
            "is a folder, not a file", path=path, hint="name an alphabet file"
        ) from None
    except OSError as error:
        raise AlphabetError(f"cannot read: {error.strerror}", path=path) from None
    return decode(data, path)


def load_alphabet_file(path: Path, name: str | None = None) -> Alphabet:
    return parse_alphabet(read_text_file(path), name or path.stem, path=path)


def format_alphabet(alphabet: Alphabet, header: str | None = None) -> str:
    out: list[str] = []
    if header:
        out.extend(f"; {line}".rstrip() for line in header.splitlines())
        out.append("")
    for label, bitmap in zip(alphabet.labels, alphabet.bitmaps, strict=True):
        out.append(f"{label}:")
        for r in range(alphabet.rows):
            row = bitmap[r * alphabet.cols : (r + 1) * alphabet.cols]
            out.append("".join(ON if v else OFF for v in row))
        out.append("")
    return "\n".join(out)


def format_grid(bitmap: Sequence[int], rows: int, cols: int) -> list[str]:
    return ["".join(ON if bitmap[r * cols + c] else OFF for c in range(cols)) for r in range(rows)]


# --- Where alphabets come from ------------------------------------------------------------


def is_path_like(spec: str) -> bool:
    return "/" in spec or "\\" in spec or spec.endswith(".txt") or spec.startswith(".")


def user_alphabet_path(root: Path, name: str) -> Path:
    return paths.alphabets_dir(root) / f"{name}.txt"


def load_bundled(name: str) -> Alphabet:
    return parse_alphabet(paths.bundled_alphabet_text(name), name, path=f"<bundled {name}.txt>")


def resolve_alphabet(spec: str, root: Path, *, create: bool = True) -> tuple[Alphabet, Path]:
    """Load `spec`: a path to a file, or a name of the user's or a bundled alphabet.

    A bundled name is copied to `<root>/alphabets/<name>.txt` on first use so that the user
    edits their own copy; the bundled file itself is never written.
    """
    if is_path_like(spec):
        path = Path(spec).expanduser()
        return load_alphabet_file(path), path
    if not spec or spec.startswith(".") or any(ch in spec for ch in "\0:"):
        raise AlphabetError(
            f"bad alphabet name {spec!r}",
            path=spec,
            hint="give a name like 'abc' or a path",
            exit_code=2,
        )
    path = user_alphabet_path(root, spec)
    if path.exists():
        return load_alphabet_file(path, spec), path
    if spec in paths.bundled_alphabet_names():
        text = paths.bundled_alphabet_text(spec)
        alphabet = parse_alphabet(text, spec, path=f"<bundled {spec}.txt>")
        if create:
            paths.atomic_write_text(path, text)
        return alphabet, path
    known = ", ".join(paths.bundled_alphabet_names())
    raise AlphabetError(
        f"no alphabet named {spec!r}",
        path=spec,
        hint=f"bundled alphabets: {known}; or give a path to a .txt file",
        exit_code=2,
    )


def save_alphabet(alphabet: Alphabet, path: Path) -> None:
    header = (
        f"letter-tui alphabet '{alphabet.name}': {alphabet.rows} rows x {alphabet.cols} columns"
    )
    paths.atomic_write_text(path, format_alphabet(alphabet, header))
