"""The lesson: its pages, the headless text against the tutorial's own loop, and bad options."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from test_tutorial import TUTORIAL_LOG, reference_training

from letter_tui.cli import main
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.lesson import Lesson, headless_text, step_code
from letter_tui.core.reference import forward

LOSS_LINE = re.compile(r"^Epoch (\d+), Loss: (\S+)$", re.M)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as done:  # argparse's usage errors
        code = done.code
    out, err = capsys.readouterr()
    return code, out, err


def section(text: str, number: int) -> str:
    start = text.index(f"Step {number}:")
    end = text.find(f"Step {number + 1}:", start)
    return text[start : end if end > 0 else None]


def array_rows(text: str, heading: str) -> np.ndarray:
    """The numbers under `heading` (e.g. "Z1 (3, 5)") in the printed text."""
    lines = text[text.index(heading + "\n") :].splitlines()[2:]
    rows = []
    for line in lines:
        if not line.startswith("  "):
            break
        rows.append([float(v) for v in line.split()[1:]])
    return np.array(rows)


def test_headless_prints_the_seven_steps_and_the_tutorials_loss_line(
    tmp_path: Path, capsys
) -> None:
    code, out, err = run_cli(
        capsys, "--data-dir", str(tmp_path), "lesson", "--headless", "--epoch", "3000"
    )
    assert code == 0, err
    headings = re.findall(r"^Step (\d):", out, re.M)
    assert headings == ["1", "2", "3", "4", "5", "6", "7"]
    for shape in ("X (3, 30)", "y (3, 3)", "W1 (30, 5)", "b1 (1, 5)", "W2 (5, 3)", "b2 (1, 3)"):
        assert shape in out
    for name in ("Z1 (3, 5)", "A1 (3, 5)", "Z2 (3, 3)", "A2 (3, 3)", "dZ2 (3, 3)", "dA1 (3, 5)"):
        assert name in out
    for name in ("dW2 (5, 3)", "db2 (1, 3)", "dZ1 (3, 5)", "dW1 (30, 5)", "db1 (1, 5)"):
        assert name in out
    # The code as shipped is printed with each step.
    assert "    def backward(X, y, W2, A1, A2):" in section(out, 5)

    # Step 6: the lines the tutorial prints up to epoch 3000, the last one its own line.
    printed = LOSS_LINE.findall(section(out, 6))
    assert [int(e) for e, _ in printed] == [0, 1000, 2000, 3000]
    log, weights = reference_training(
        load_bundled("abc").matrix(),
        load_bundled("abc").targets(),
        hidden=5,
        lr=0.1,
        epochs=3001,
        seed=42,
        every=1000,
    )
    for (epoch, text), (their_epoch, theirs), (_, published) in zip(
        printed, log, TUTORIAL_LOG, strict=False
    ):
        assert int(epoch) == their_epoch
        assert float(text) == pytest.approx(theirs, rel=1e-9, abs=0)
        assert float(text) == pytest.approx(published, rel=1e-9, abs=0)

    # Step 4's values are the tutorial's forward pass at epoch 3000, rounded for reading.
    # `reference_training` ran 3001 epochs: undo the last update by rerunning 3000.
    _, weights = reference_training(
        load_bundled("abc").matrix(),
        load_bundled("abc").targets(),
        hidden=5,
        lr=0.1,
        epochs=3000,
        seed=42,
        every=1000,
    )
    Z1, A1, Z2, A2 = forward(load_bundled("abc").matrix(), *weights)
    step4 = section(out, 4)
    for name, value in (("Z1 (3, 5)", Z1), ("A1 (3, 5)", A1), ("Z2 (3, 3)", Z2)):
        np.testing.assert_allclose(array_rows(step4, name), value, atol=5.1e-5, err_msg=name)
    np.testing.assert_allclose(array_rows(section(out, 7), "A2 (3, 3)"), A2, atol=5.1e-5)
    assert "Predicted class for letter A: [0]" in section(out, 7)


def test_headless_at_epoch_0_shows_the_seeds_weights(tmp_path: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "--data-dir", str(tmp_path), "lesson", "--headless")
    assert code == 0
    assert "np.random.seed(42)" in section(out, 2)
    rng = np.random.RandomState(42)
    rng.randn(30, 5)  # W1, drawn first
    W2 = rng.randn(5, 3) * 0.01
    np.testing.assert_allclose(array_rows(section(out, 2), "W2 (5, 3)"), W2, atol=5.1e-5)
    [(epoch, loss)] = LOSS_LINE.findall(section(out, 6))
    assert epoch == "0"
    assert float(loss) == pytest.approx(TUTORIAL_LOG[0][1], rel=1e-9, abs=0)


def test_headless_az_says_which_letters_and_units_it_shows(tmp_path: Path, capsys) -> None:
    code, out, _ = run_cli(
        capsys, "--data-dir", str(tmp_path), "lesson", "--headless", "--alphabet", "az"
    )
    assert code == 0
    assert "Showing letters A B C of 26 and hidden units 1-5 of 64." in out
    assert "Z1 (26, 64)" in out and "A2 (26, 26)" in out
    assert max(len(line) for line in out.splitlines()) <= 78


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["lesson", "--headless", "--epoch", "x"], "argument --epoch: expected a whole number"),
        (["lesson", "--headless", "--epoch", "-3"], "argument --epoch: expected a whole number"),
        (["lesson", "--headless", "--epoch", "2000000"], "from 0 to 1000000"),
        (["lesson", "--epoch", "5"], "--epoch applies to --headless"),
        (["lesson", "--headless", "--alphabet", "nope"], "no alphabet named 'nope'"),
        (["lesson", "--headless", "--speed", "3"], "unknown option --speed"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(tmp_path: Path, capsys, argv, says) -> None:
    code, out, err = run_cli(capsys, "--data-dir", str(tmp_path), *argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and says in err, err
    assert "Traceback" not in err


def test_running_in_pieces_gives_the_numbers_of_one_run() -> None:
    abc = load_bundled("abc")
    whole, pieces = Lesson.for_alphabet(abc), Lesson.for_alphabet(abc)
    whole.run(2500)
    for n in (1, 99, 900, 1000, 500):
        pieces.run(n)
    assert pieces.epoch == whole.epoch == 2500
    assert pieces.log == whole.log
    assert len(whole.log) == 3 and whole.log[2].startswith("Epoch 2000, Loss: ")
    np.testing.assert_array_equal(pieces.step.A2, whole.step.A2)
    assert headless_text(pieces) == headless_text(whole)


def test_back_to_epoch_0_and_from_trained_weights() -> None:
    lesson = Lesson.for_alphabet(load_bundled("abc"))
    start = lesson.step.W1.copy()
    lesson.run(10)
    lesson.reset()
    assert lesson.epoch == 0 and lesson.log == []
    np.testing.assert_array_equal(lesson.step.W1, start)
    weights = (np.ones((30, 4)) * 0.1, np.zeros((1, 4)), np.ones((4, 3)), np.zeros((1, 3)))
    lesson.use_weights(weights, 777)
    assert lesson.epoch == 777 and lesson.hidden == 4 and lesson.source == "trained"
    assert "started from the trained model" in lesson.page(1).header[0]
    with pytest.raises(ValueError):
        lesson.use_weights((np.ones((29, 4)), *weights[1:]), 1)


def test_every_page_has_its_steps_code_and_the_tutorials_notes() -> None:
    lesson = Lesson.for_alphabet(load_bundled("abc"))
    pages = lesson.pages()
    assert [p.heading.split(":")[0] for p in pages] == [f"Step {n}" for n in range(1, 8)]
    for page, name in zip(
        pages,
        (
            "prepare_dataset",
            "initial_weights",
            "sigmoid",
            "forward",
            "backward",
            "train",
            "predict",
        ),
        strict=True,
    ):
        assert f"def {name}(" in page.code == step_code(page.number)
    text = "\n".join("\n".join(p.lines) for p in pages)
    assert "gradient of the cross-entropy loss, not of the mean squared error" in text
    assert "sigmoid_derivative takes the activation A = sigmoid(Z), not Z" in text
    assert "measured before that epoch's update" in text


def test_step_5_shows_one_weight_before_and_after_its_update() -> None:
    lesson = Lesson.for_alphabet(load_bundled("abc"))
    lesson.run(50)
    text = " ".join(lesson.page(5).lines)
    found = re.search(
        r"W2\[(\d), (\d)\].*?([-+][\d.]+) - 0\.1 \* \(([-+][\d.]+)\) = ([-+][\d.]+)", text
    )
    assert found, text
    j, k = int(found.group(1)), int(found.group(2))
    before, grad, after = (float(found.group(n)) for n in (3, 4, 5))
    assert before == pytest.approx(lesson.step.W2[j, k], abs=1e-6)
    assert grad == pytest.approx(lesson.step.dW2[j, k], abs=1e-6)
    lesson.run(1)
    assert after == pytest.approx(lesson.step.W2[j, k], abs=1e-6)
