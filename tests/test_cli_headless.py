"""The headless command line: train, predict, bad options, and no Textual on that path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from letter_tui import __version__
from letter_tui.cli import main
from letter_tui.core.alphabet import load_bundled
from tests.test_tutorial import TUTORIAL_LOG


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("LETTER_TUI_DATA_DIR", str(tmp_path))
    return tmp_path


def test_train_headless_prints_the_tutorials_log_and_saves(data: Path, capsys) -> None:
    code, out, _ = run(capsys, "train", "--headless")
    assert code == 0
    lines = out.splitlines()
    log = [line for line in lines if line.startswith("Epoch ")]
    assert len(log) == 10
    for line, (epoch, loss) in zip(log, TUTORIAL_LOG, strict=True):
        head, value = line.split(", Loss: ")
        assert head == f"Epoch {epoch}"
        assert float(value) == pytest.approx(loss, rel=1e-9, abs=0)
    assert "Accuracy on the clean letters: 3/3 (100.0%)" in out
    assert lines[-1] == f"Model saved to {data / 'models' / 'abc.npz'}"
    assert (data / "alphabets" / "abc.txt").exists()


def test_train_options_and_data_dir_flag(tmp_path: Path, capsys) -> None:
    code, out, _ = run(
        capsys,
        "--data-dir",
        str(tmp_path),
        "train",
        "--headless",
        "--epochs",
        "30",
        "--log-every",
        "10",
        "--hidden",
        "4",
        "--seed",
        "1",
        "--lr",
        "0.5",
    )
    assert code == 0
    assert [line.split(",")[0] for line in out.splitlines() if line.startswith("Epoch")] == [
        "Epoch 0",
        "Epoch 10",
        "Epoch 20",
    ]
    assert (tmp_path / "models" / "abc.npz").exists()


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["train", "--headless", "--epochs", "ten"], "--epochs"),
        (["train", "--headless", "--epochs", "0"], "--epochs"),
        (["train", "--headless", "--lr", "-1"], "--lr"),
        (["train", "--headless", "--noise", "0.9"], "--noise"),
        (["train", "--headless", "--hidden", "2.5"], "--hidden"),
        (["train", "--headless", "--seed", "-3"], "--seed"),
        (["train", "--headless", "--bogus"], "--bogus"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2(argv, option, data: Path, capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and option in err, err


def test_unknown_alphabet_is_exit_2_with_a_hint(data: Path, capsys) -> None:
    code, _, err = run(capsys, "train", "--headless", "--alphabet", "klingon")
    assert code == 2
    assert err == (
        "letter-tui: error: klingon: no alphabet named 'klingon' "
        "(bundled alphabets: abc, az; or give a path to a .txt file)\n"
    )


def test_a_broken_alphabet_file_names_file_and_line(tmp_path: Path, data: Path, capsys) -> None:
    bad = tmp_path / "mine.txt"
    bad.write_text("A:\n###\n#?#\n###\n", encoding="utf-8")
    code, _, err = run(capsys, "train", "--headless", "--alphabet", str(bad))
    assert code == 1
    assert err.startswith(f"letter-tui: error: {bad}:3: unexpected character '?'")
    assert err.count("\n") == 1


def test_predict_without_a_model_says_how_to_train(data: Path, capsys) -> None:
    code, _, err = run(capsys, "predict", "-")
    assert code == 1
    assert "no trained model for alphabet 'abc'" in err and "letter-tui train" in err


def test_predict_classifies_a_file(tmp_path: Path, data: Path, capsys, monkeypatch) -> None:
    assert run(capsys, "train", "--headless", "--epochs", "3000")[0] == 0
    abc = load_bundled("abc")
    from letter_tui.core.alphabet import format_grid

    def grid(label: str, bitmap) -> str:
        return f"{label}:\n" + "\n".join(format_grid(bitmap, 5, 6)) + "\n"

    flipped_a = list(abc.bitmaps[0])
    flipped_a[0] = 1
    text = "\n".join(
        [
            grid("A", abc.bitmaps[0]),
            grid("A", flipped_a),
            grid("C", abc.bitmaps[1]),
            grid("?", abc.bitmaps[2]),
        ]
    )
    path = tmp_path / "grids.txt"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(capsys, "predict", str(path))
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()[:-1]]
    assert [(r[0], r[1]) for r in rows] == [("A", "A"), ("A", "A"), ("C", "B"), ("?", "C")]
    assert all(0 < float(r[2]) < 1 for r in rows)
    assert out.splitlines()[-1] == "accuracy: 2/3"


def test_predict_refuses_grids_of_another_size(tmp_path: Path, data: Path, capsys) -> None:
    run(capsys, "train", "--headless", "--epochs", "10")
    path = tmp_path / "small.txt"
    path.write_text("?:\n###\n###\n###\n", encoding="utf-8")
    code, _, err = run(capsys, "predict", str(path))
    assert code == 2 and "3x3" in err and "5x6" in err


def test_version_and_help(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"letter-tui {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("train", "predict", "draw"):
        assert command in out


def test_installed_command_trains_without_importing_textual(tmp_path: Path) -> None:
    code = (
        "import sys, runpy; sys.argv = ['letter-tui', 'train', '--headless', '--epochs', '5'];"
        "from letter_tui.cli import main; rc = main();"
        "assert 'textual' not in sys.modules, 'textual imported'; sys.exit(rc)"
    )
    env = {"LETTER_TUI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    # The loss's last digits depend on the BLAS kernel's summation order: compare the number.
    first = done.stdout.splitlines()[0]
    assert first.startswith("Epoch 0, Loss: ")
    assert float(first.rpartition(" ")[2]) == pytest.approx(0.2503635102723096, rel=1e-9)


def test_python_dash_m_works(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "letter_tui", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("letter-tui ")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        # Before the command: argparse took the value for the command ("invalid choice: 'abc'").
        (
            ["--alphabte", "abc"],
            "letter-tui: error: unknown option --alphabte; did you mean --alphabet?",
        ),
        (["--headless", "train"], "--headless goes after its command: letter-tui train --headless"),
        # After it: named by the command's own usage, with the nearest real option.
        (
            ["train", "--headlss"],
            "letter-tui train: error: unknown option --headlss; did you mean --headless?",
        ),
        # No abbreviations: `--headles` used to train as `--headless`, silently.
        (["train", "--headles"], "unknown option --headles; did you mean --headless?"),
        (["predict", "a", "b"], "letter-tui predict: error: unexpected argument 'b'"),
    ],
)
def test_a_mistyped_option_is_named_with_the_nearest_real_one(
    data: Path, capsys, argv, says
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out, err = capsys.readouterr()
    assert stop.value.code == 2 and out == ""
    assert err.count("\n") == 1 and says in err, err
