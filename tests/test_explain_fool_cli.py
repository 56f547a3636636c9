"""`letter-tui explain` and `letter-tui fool --headless`: what they print is the saved
model's own arithmetic, and bad input is one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from letter_tui.cli import main
from letter_tui.core import model_io
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.effects import explain, flipped_grid, ideal_minimum, ideal_reading
from tests.conftest import trained_model

ABC = load_bundled("abc")


def abc_model() -> model_io.Model:
    return trained_model("abc", epochs=3000)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    model_io.save_model(abc_model(), model_io.model_path(tmp_path, "abc"))
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def grid_text(label: str, bitmap) -> str:
    c = ABC.cols
    rows = [
        "".join("#" if v else "." for v in bitmap[r * c : (r + 1) * c]) for r in range(ABC.rows)
    ]
    return f"{label}:\n" + "\n".join(rows) + "\n"


def test_explain_numbers_are_the_models_single_flips(data: Path, tmp_path: Path, capsys) -> None:
    noisy = flipped_grid(ABC.bitmaps[1], (0, 7))
    path = tmp_path / "grids.txt"
    path.write_text(grid_text("A", ABC.bitmaps[0]) + "\n" + grid_text("?", noisy))
    code, out, err = run(capsys, "--data-dir", str(data), "explain", "--numbers", str(path))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert len(lines) == 2 * 6
    net = abc_model().network
    for block, (label, bitmap) in enumerate((("A", ABC.bitmaps[0]), ("?", noisy))):
        head, *rows = lines[block * 6 : block * 6 + 6]
        why = explain(net, bitmap)
        shown_label, guess, output = head.split("\t")
        assert (shown_label, guess) == (label, ABC.labels[why.guess])
        assert float(output) == pytest.approx(why.output, abs=1e-6)
        numbers = [float(v) for row in rows for v in row.split("\t")]
        assert all(len(row.split("\t")) == 6 for row in rows)
        assert all(len(v.split(".")[1]) >= 4 for row in rows for v in row.split("\t"))
        # Independently: flip each pixel and ask the network again.
        base = net.predict_proba(np.array(bitmap, dtype=float))[why.guess]
        for i, shown in enumerate(numbers):
            flipped = np.array(flipped_grid(bitmap, (i,)), dtype=float)
            assert shown == pytest.approx(net.predict_proba(flipped)[why.guess] - base, abs=1e-6)


def test_explain_map_has_one_legend_and_signed_cells(data: Path, monkeypatch, capsys) -> None:
    import io
    import sys

    text = grid_text("B", ABC.bitmaps[1]) + "\n" + grid_text("B", ABC.bitmaps[1])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, _ = run(capsys, "--data-dir", str(data), "explain", "-")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("; each pixel") and sum(x.startswith(";") for x in lines) == 1
    assert lines[1].split("\t")[:2] == ["B", "B"] and lines[7].split("\t")[:2] == ["B", "B"]
    cells = [cell for row in lines[2:7] for cell in row.split()]
    assert len(cells) == 30
    assert set(cells) <= {".", "+", "++", "+++", "-", "--", "---"}
    assert "+++" in cells or "---" in cells  # the largest effect is always full strength
    assert lines[2:7] == lines[8:13]


def test_fool_headless_lines_are_what_the_model_gives(data: Path, capsys) -> None:
    code, out, err = run(capsys, "--data-dir", str(data), "fool", "--headless", "c")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "flips",
        "pixels",
        "network reads",
        "ideal observer reads",
        "ideal observer needs",
        "proven",
    ]
    k = int(lines[0].removeprefix("flips: "))
    pixels = [tuple(map(int, p.split(","))) for p in lines[1].removeprefix("pixels: ").split()]
    assert len(pixels) == k and all(1 <= r <= 5 and 1 <= c <= 6 for r, c in pixels)
    grid = flipped_grid(ABC.bitmaps[2], [(r - 1) * 6 + c - 1 for r, c in pixels])
    reads = ABC.labels[abc_model().network.predict(np.array(grid, dtype=float))]
    assert lines[2] == f"network reads: {reads}" and reads != "C"
    ideal = [ABC.labels[i] for i in ideal_reading(grid, ABC)]
    assert lines[3].removeprefix("ideal observer reads: ").startswith(ideal[0])
    assert lines[4] == f"ideal observer needs: {ideal_minimum(ABC, 2)}"
    assert lines[5].startswith("proven: yes" if k <= 3 else "proven: no")


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (("fool", "--headless", "Z"), 2, "has no letter 'Z'"),
        (("fool", "--headless"), 2, "needs a LETTER"),
        (("fool", "--headless", "A", "B"), 2, "unexpected argument 'B'"),
        (("explain", "--bogus", "x"), 2, "--bogus"),
        (("explain", "missing.txt"), 2, "missing.txt"),
    ],
)
def test_bad_input_is_one_line(data: Path, capsys, argv, code: int, needle: str) -> None:
    try:
        got = main(["--data-dir", str(data), *argv])
    except SystemExit as exit_:  # argparse's own usage errors
        got = exit_.code
    out, err = capsys.readouterr()
    assert got == code and out == ""
    assert needle in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_no_model_yet_is_one_line(tmp_path: Path, capsys) -> None:
    for argv in (("fool", "--headless", "A"), ("explain", "-")):
        code, out, err = run(capsys, "--data-dir", str(tmp_path), *argv)
        assert code == 1 and out == ""
        assert "no trained model" in err and len(err.strip().splitlines()) == 1


def test_malformed_and_wrong_size_files_are_one_line(data: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.txt"
    for text in ("A:\n##\n#x\n", "A:\n" + "#.#.\n" * 3, "not a grid\n"):
        bad.write_text(text)
        code, out, err = run(capsys, "--data-dir", str(data), "explain", str(bad))
        assert code in (1, 2) and out == ""
        assert str(bad) in err and len(err.strip().splitlines()) == 1


bitmaps = st.lists(st.integers(0, 1), min_size=30, max_size=30)
labels = st.sampled_from(["A", "B", "C", "?", "x", "7"])


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(grids=st.lists(st.tuples(labels, bitmaps), min_size=1, max_size=5))
def test_explain_any_valid_file(data: Path, tmp_path: Path, capsys, grids) -> None:
    path = tmp_path / "h.txt"
    path.write_text("\n".join(grid_text(label, bitmap) for label, bitmap in grids))
    code, out, err = run(capsys, "--data-dir", str(data), "explain", "--numbers", str(path))
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 6 * len(grids)
    net = abc_model().network
    for n, (label, bitmap) in enumerate(grids):
        why = explain(net, bitmap)
        assert lines[6 * n].split("\t")[:2] == [label, ABC.labels[why.guess]]
        shown = [float(v) for row in lines[6 * n + 1 : 6 * n + 6] for v in row.split("\t")]
        assert shown == pytest.approx(why.effects, abs=1e-6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(alphabet=st.sampled_from(list("#.?AB:;\n \t\x00é")), max_size=80))
def test_explain_any_text_never_tracebacks(data: Path, tmp_path: Path, capsys, text: str) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(text.encode())
    code, _, err = run(capsys, "--data-dir", str(data), "explain", str(path))
    assert code in (0, 1, 2)
    if code:
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_fool_prints_the_answer_when_its_output_is_not_a_terminal(data: Path, capsys) -> None:
    """`letter-tui fool C | ...`: the issue's headless contract, without --headless."""
    headless = run(capsys, "--data-dir", str(data), "fool", "--headless", "c")
    assert run(capsys, "--data-dir", str(data), "fool", "c") == headless
