"""`letter-tui train --headless`: the tutorial's log, the noise table, options and errors."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from letter_tui.cli import main
from letter_tui.core import model_io

TUTORIAL_LINES = [
    "Epoch 0, Loss: 0.2503635102723096",
    "Epoch 1000, Loss: 0.004769725097954064",
    "Epoch 2000, Loss: 0.00031946270415064904",
    "Epoch 3000, Loss: 0.00010030738249725639",
    "Epoch 4000, Loss: 4.8174040788081e-05",
    "Epoch 5000, Loss: 2.8174987581020588e-05",
    "Epoch 6000, Loss: 1.8461455284998258e-05",
    "Epoch 7000, Loss: 1.3024790953859959e-05",
    "Epoch 8000, Loss: 9.678844595823875e-06",
    "Epoch 9000, Loss: 7.474481886750926e-06",
]


def train(capsys, tmp_path, *options: str) -> tuple[int, list[str], str]:
    code = main(["train", "--headless", "--data-dir", str(tmp_path), *options])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def test_no_options_print_the_tutorials_log_then_the_table(capsys, tmp_path) -> None:
    code, lines, err = train(capsys, tmp_path)
    assert code == 0 and err == ""
    for got, want in zip(lines[:10], TUTORIAL_LINES, strict=True):
        head, _, number = got.rpartition(" ")
        want_head, _, want_number = want.rpartition(" ")
        assert head == want_head
        assert float(number) == pytest.approx(float(want_number), rel=1e-9)
    assert lines[10] == "Accuracy on the clean letters: 3/3 (100.0%)"
    assert lines[11] == "Accuracy against noise (10000 fresh noisy letters per flip probability):"
    assert lines[12].split() == ["flip", "p", "network", "ideal", "chance"]
    rows = [line.split() for line in lines[13:20]]
    assert [r[0] for r in rows] == ["0.00", "0.05", "0.10", "0.15", "0.20", "0.25", "0.30"]
    assert rows[0][1:] == ["100.0%", "100.0%", "33.3%"]
    assert all(r[3] == "33.3%" for r in rows)
    path = tmp_path / "models" / "abc.npz"
    assert lines[20] == f"Model saved to {path}"
    assert len(lines) == 21
    assert model_io.load_model(path).meta.epochs == 10000


def test_az_uses_the_recipe_and_options_override_it(capsys, tmp_path) -> None:
    code, lines, _ = train(capsys, tmp_path, "--alphabet", "az", "--epochs", "20")
    assert code == 0
    assert [line.split(",")[0] for line in lines[:10]] == [f"Epoch {e}" for e in range(0, 20, 2)]
    meta = model_io.load_model(tmp_path / "models" / "az.npz").meta
    assert (meta.hidden, meta.batch_size, meta.output, meta.init, meta.fresh_noise) == (
        64,
        64,
        "softmax",
        "scaled",
        True,
    )
    code, _, _ = train(
        capsys, tmp_path, "--alphabet", "az", "--epochs", "3", "--hidden", "8",
        "--batch-size", "0", "--output", "sigmoid", "--init", "tutorial", "--noise", "0.2",
        "--copies", "3", "--no-fresh-noise", "--lr", "2", "--seed", "9", "--log-every", "1",
        "--replace",  # three epochs read fewer letters than the recipe's twenty
    )  # fmt: skip
    assert code == 0
    meta = model_io.load_model(tmp_path / "models" / "az.npz").meta
    assert (meta.hidden, meta.batch_size, meta.output, meta.init, meta.fresh_noise) == (
        8,
        0,
        "sigmoid",
        "tutorial",
        False,
    )
    assert (meta.noise, meta.copies, meta.learning_rate, meta.seed) == (0.2, 3, 2.0, 9)
    assert [e for e, _ in meta.loss_history] == [0, 1, 2]


def test_noise_zero_alone_turns_the_recipes_noise_off(capsys, tmp_path) -> None:
    code, _, _ = train(capsys, tmp_path, "--alphabet", "az", "--epochs", "2", "--noise", "0")
    assert code == 0
    meta = model_io.load_model(tmp_path / "models" / "az.npz").meta
    assert meta.noise == 0 and not meta.fresh_noise


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--output", "relu"], "argument --output: invalid choice: 'relu'"),
        (["--init", "zeros"], "argument --init: invalid choice: 'zeros'"),
        (["--batch-size", "-1"], "argument --batch-size: expected a whole number from 0"),
        (["--batch-size", "x"], "argument --batch-size: expected a whole number from 0"),
        (["--copies", "0"], "argument --copies: expected a whole number from 1 to 10000"),
        (["--fresh-noise"], "argument --fresh-noise: fresh noise needs training noise above 0"),
        (["--noise", "0", "--fresh-noise"], "argument --fresh-noise: fresh noise needs"),
    ],
)
def test_bad_options_are_one_line_naming_the_option(capsys, tmp_path, options, message) -> None:
    try:
        code, _, err = train(capsys, tmp_path, *options)
    except SystemExit as exit:
        code, err = exit.code, capsys.readouterr().err
    assert code == 2
    assert err.startswith("letter-tui") and message in err
    assert err.count("\n") == 1
    assert not (tmp_path / "models").exists()


def test_headless_training_does_not_import_textual(tmp_path) -> None:
    code = (
        "import sys\n"
        "from letter_tui.cli import main\n"
        f"main(['train', '--headless', '--epochs', '2', '--data-dir', {str(tmp_path)!r}])\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'textual'], 'textual'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Model saved to" in result.stdout


def test_one_blas_thread_unless_the_user_says_otherwise(tmp_path) -> None:
    code = (
        "import os, sys\n"
        "from letter_tui.cli import main\n"
        f"main(['train', '--headless', '--epochs', '1', '--data-dir', {str(tmp_path)!r}])\n"
        "print(os.environ['OPENBLAS_NUM_THREADS'])\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.splitlines()[-1] == "1", result.stderr
    env["OPENBLAS_NUM_THREADS"] = "2"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.stdout.splitlines()[-1] == "2", result.stderr


KEPT = re.compile(
    r"Kept the saved model: it reads (\d+) of 3 clean letters, this run (\d+) of 3\. "
    r"--replace saves this run anyway\."
)


def test_a_worse_run_keeps_the_saved_model_unless_told_to_replace(capsys, tmp_path) -> None:
    path = tmp_path / "models" / "abc.npz"
    previous = tmp_path / "models" / "abc.previous.npz"
    assert train(capsys, tmp_path)[0] == 0
    good = path.read_bytes()
    # A learning rate far too large: the run reads fewer of the clean letters.
    code, lines, err = train(capsys, tmp_path, "--lr", "1000")
    assert code == 0 and err == ""
    kept = KEPT.fullmatch(lines[-1])
    assert kept, lines[-1]
    assert int(kept[1]) == 3 and int(kept[2]) < 3
    assert not any(line.startswith("Model saved") for line in lines)
    assert path.read_bytes() == good and not previous.exists()
    # --replace saves it anyway; the good model is kept one generation back.
    code, lines, _ = train(capsys, tmp_path, "--lr", "1000", "--replace")
    assert code == 0
    assert lines[-1] == f"Model saved to {path} (the model it replaced is kept as {previous})"
    assert previous.read_bytes() == good and path.read_bytes() != good
    # As good as the saved one (now the worse one): replaced without asking.
    code, lines, _ = train(capsys, tmp_path, "--epochs", "3000")
    assert code == 0 and lines[-1].startswith(f"Model saved to {path} (")
    assert model_io.load_model(path).meta.epochs == 3000
    assert model_io.load_model(previous).meta.learning_rate == 1000


def test_a_corrupt_saved_model_is_reported_and_kept_aside(capsys, tmp_path) -> None:
    path = tmp_path / "models" / "abc.npz"
    path.parent.mkdir()
    path.write_bytes(b"not a model")
    code, lines, err = train(capsys, tmp_path, "--epochs", "2")
    assert code == 0
    assert err.startswith(f"Note: the previous file {path} could not be read; it was kept as ")
    assert err.count("\n") == 1
    assert lines[-1] == f"Model saved to {path}"
    aside = [p for p in path.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == b"not a model"
    assert not (tmp_path / "models" / "abc.previous.npz").exists()


def test_a_saved_model_for_other_letters_is_replaced_and_kept(capsys, tmp_path) -> None:
    # The user's own abc with a fourth letter: the old model cannot read it, so no count.
    assert train(capsys, tmp_path, "--epochs", "2")[0] == 0
    mine = tmp_path / "alphabets" / "abc.txt"
    text = mine.read_text(encoding="utf-8")
    d = "D:\n" + "\n".join(["####..", "#...#.", "#...#.", "#...#.", "####.."]) + "\n"
    mine.write_text(text.rstrip("\n") + "\n\n" + d, encoding="utf-8")
    code, lines, _ = train(capsys, tmp_path, "--epochs", "2")
    assert code == 0 and lines[-1].endswith("abc.previous.npz)")
    assert model_io.load_model(tmp_path / "models" / "abc.previous.npz").meta.letters == (
        "A",
        "B",
        "C",
    )
