"""The alphabet file format: round trip, every bad-file case, and the bundled alphabets."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from letter_tui.core.alphabet import (
    Alphabet,
    format_alphabet,
    load_alphabet_file,
    load_bundled,
    parse_alphabet,
    parse_grids,
    resolve_alphabet,
    save_alphabet,
)
from letter_tui.core.errors import AlphabetError, LetterTuiError

TUTORIAL_A = [
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    1,
    0,
    0,
    1,
    0,
    1,
    1,
    1,
    1,
    1,
    1,
    1,
    0,
    0,
    0,
    0,
    1,
    1,
    0,
    0,
    0,
    0,
    1,
]
TUTORIAL_B = [
    0,
    1,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    0,
    1,
    0,
    0,
    1,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    0,
    1,
    0,
    0,
    1,
    1,
    1,
    1,
    0,
]
TUTORIAL_C = [
    0,
    1,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    1,
    0,
]


def test_bundled_abc_is_the_tutorials_bitmaps_exactly() -> None:
    abc = load_bundled("abc")
    assert (abc.rows, abc.cols) == (5, 6)
    assert abc.labels == ("A", "B", "C")
    assert [list(b) for b in abc.bitmaps] == [TUTORIAL_A, TUTORIAL_B, TUTORIAL_C]
    assert np.array_equal(abc.targets(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]])


def test_bundled_az_has_26_letters_each_pair_at_least_3_pixels_apart() -> None:
    az = load_bundled("az")
    assert az.labels == tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    assert (az.rows, az.cols) == (5, 6)
    m = az.matrix()
    for i, j in itertools.combinations(range(len(az)), 2):
        differing = int(np.abs(m[i] - m[j]).sum())
        assert differing >= 3, f"{az.labels[i]} and {az.labels[j]} differ in {differing} pixels"


def test_round_trip_through_the_text_format() -> None:
    az = load_bundled("az")
    again = parse_alphabet(format_alphabet(az, header="a header\nsecond line"), "az")
    assert again == az


def test_save_is_atomic_and_reads_back(tmp_path: Path) -> None:
    abc = load_bundled("abc").with_letter("Z", [1] * 30)
    path = tmp_path / "alphabets" / "abc.txt"
    save_alphabet(abc, path)
    assert load_alphabet_file(path, "abc") == abc
    assert [p.name for p in path.parent.iterdir()] == ["abc.txt"]  # no temp file left behind


def test_other_grid_sizes_work() -> None:
    text = "x:\n###\n#.#\n###\n\no:\n...\n.#.\n...\n"
    alpha = parse_alphabet(text)
    assert (alpha.rows, alpha.cols, alpha.labels) == (3, 3, ("x", "o"))
    big = "A:\n" + "\n".join(["#" * 16] * 16) + "\n"
    assert parse_alphabet(big).size == 256


def test_comments_and_blank_lines_are_ignored() -> None:
    text = "; top\n\n\nA:\n; inside\n###\n#.#\n###\n\n\n; end\n"
    assert parse_alphabet(text).labels == ("A",)


BAD_FILES = {
    "ragged": ("A:\n###\n##\n###\n", 3, "columns"),
    "bad character": ("A:\n###\n#x#\n###\n", 3, "unexpected character 'x'"),
    "duplicate label": ("A:\n###\n###\n###\n\nA:\n...\n...\n...\n", 6, "already used"),
    "duplicate ignoring case": (
        "A:\n###\n###\n###\n\na:\n...\n...\n...\n",
        6,
        "labels ignore case",
    ),
    "long label": ("AB:\n###\n###\n###\n", 1, "one character"),
    "unprintable label": ("\x07:\n###\n###\n###\n", 1, "printable"),
    "reserved label": ("?:\n###\n###\n###\n", 1, "reserved"),
    "row without label": ("###\n###\n", 1, "no label"),
    "letter without rows": ("A:\n\nB:\n###\n###\n###\n", 1, "no rows"),
    "grid too large": ("A:\n" + "\n".join(["#" * 17] * 3) + "\n", 2, "too large"),
    "too many rows": ("A:\n" + "\n".join(["###"] * 17) + "\n", 18, "too large"),
    "grid too small": ("A:\n##\n##\n", 1, "too small"),
    "mixed sizes": ("A:\n###\n###\n###\n\nB:\n####\n####\n####\n", 6, "first letter"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_each_bad_file_names_file_and_line(case: str, tmp_path: Path) -> None:
    text, line, words = BAD_FILES[case]
    path = tmp_path / "mine.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AlphabetError) as caught:
        load_alphabet_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"; only a comment\n", "no letters"),
        (b"A:\n###\n\xff\xfe\n", "not UTF-8"),
    ],
)
def test_files_with_no_usable_text(data: bytes, words: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(AlphabetError, match=words) as caught:
        load_alphabet_file(path)
    assert str(caught.value).startswith(str(path))


def test_undecodable_bytes_report_their_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"A:\n###\n#\xff#\n")
    with pytest.raises(AlphabetError, match=r"bad\.txt:3: "):
        load_alphabet_file(path)


def test_predict_files_allow_repeats_and_unknown() -> None:
    rows, cols, grids = parse_grids(
        "A:\n###\n#.#\n###\n\nA:\n###\n###\n###\n\n?:\n...\n...\n...\n", repeats=True, unknown=True
    )
    assert (rows, cols) == (3, 3)
    assert [g.label for g in grids] == ["A", "A", "?"]
    assert [g.line for g in grids] == [1, 6, 11]


def test_resolve_copies_a_bundled_alphabet_once_and_then_reads_the_users_copy(
    tmp_path: Path,
) -> None:
    alpha, path = resolve_alphabet("abc", tmp_path)
    assert path == tmp_path / "alphabets" / "abc.txt"
    assert path.read_text(encoding="utf-8") == (
        Path(__file__).parents[1] / "assets/alphabets/abc.txt"
    ).read_text(encoding="utf-8")
    save_alphabet(alpha.with_letter("Z"), path)
    again, _ = resolve_alphabet("abc", tmp_path)
    assert again.labels == ("A", "B", "C", "Z")
    assert load_bundled("abc").labels == ("A", "B", "C")


def test_resolve_unknown_name_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(AlphabetError, match=r"no alphabet named 'nope'.*abc, az") as caught:
        resolve_alphabet("nope", tmp_path)
    assert caught.value.exit_code == 2


def test_editing_validates_labels() -> None:
    abc = load_bundled("abc")
    with pytest.raises(ValueError, match="already used"):
        abc.with_letter("b")
    with pytest.raises(ValueError, match="one character"):
        abc.renamed(0, "AA")
    assert abc.renamed(0, "Q").labels == ("Q", "B", "C")
    assert abc.without(1).labels == ("A", "C")


def test_alphabet_is_a_hashable_value() -> None:
    abc = load_bundled("abc")
    assert hash(abc) == hash(parse_alphabet(format_alphabet(abc), "abc"))
    with pytest.raises(ValueError):
        Alphabet("x", 3, 3, ("A",), ((0,) * 8,))


alphabet_text = st.lists(
    st.one_of(
        st.sampled_from(
            ["A:", "B:", "?:", "a:", "AB:", ":", ";c", "", "###", "#.#", "...", "##", "#x#"]
        ),
        st.text(max_size=8),
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(alphabet_text, st.booleans())
def test_parser_raises_only_its_own_error(text: str, loose: bool) -> None:
    try:
        rows, cols, grids = parse_grids(text, repeats=loose, unknown=loose)
    except LetterTuiError:
        return
    assert grids and all(len(g.bitmap) == rows * cols for g in grids)


@settings(max_examples=100, deadline=None)
@given(
    st.integers(3, 16),
    st.integers(3, 16),
    st.lists(
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#.!"),
        min_size=1,
        max_size=8,
        unique=True,
    ),
    st.randoms(use_true_random=False),
)
def test_any_valid_alphabet_round_trips(rows: int, cols: int, labels: list[str], rnd) -> None:
    bitmaps = tuple(tuple(rnd.randint(0, 1) for _ in range(rows * cols)) for _ in labels)
    alpha = Alphabet("t", rows, cols, tuple(labels), bitmaps)
    assert parse_alphabet(format_alphabet(alpha), "t") == alpha
