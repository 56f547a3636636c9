"""The Workspace and the one `train_and_save`: saving, the previous model, a worse model
refused unless asked, finiteness, stopping, and a model file changed by another process."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from letter_tui.core import model_io, paths
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.training import TrainingDiverged, TrainingRun, TrainSettings
from letter_tui.services.workspace import Workspace, model_file, save_trained, train_and_save

GOOD = TrainSettings(epochs=2000, log_every=500)


def test_model_file_is_model_io_s_path(tmp_path: Path) -> None:
    assert model_file(tmp_path, "abc") == model_io.model_path(tmp_path, "abc")


def test_a_finished_run_is_saved_and_the_one_it_replaces_kept(tmp_path: Path) -> None:
    abc = load_bundled("abc")
    path = model_file(tmp_path, "abc")
    seen: list[int] = []
    first = train_and_save(
        TrainingRun(abc, GOOD), path, on_update=lambda u: seen.append(len(u.log))
    )
    assert first.model is not None and first.saved is not None
    assert first.saved.saved and not first.saved.replaced and first.saved.note is None
    # Each update carries only what is new: the log lines add up to the whole history.
    assert sum(seen) == len(first.run.history) == 4
    before = path.read_bytes()
    second = train_and_save(TrainingRun(abc, replace(GOOD, seed=7)), path)
    assert second.saved is not None and second.saved.replaced
    assert second.saved.previous == model_io.previous_path(path)
    assert model_io.previous_path(path).read_bytes() == before


def test_a_worse_model_keeps_the_saved_one_unless_replace(tmp_path: Path) -> None:
    abc = load_bundled("abc")
    path = model_file(tmp_path, "abc")
    train_and_save(TrainingRun(abc, GOOD), path)
    good = path.read_bytes()
    worse = TrainSettings(epochs=1, log_every=1)
    kept = train_and_save(TrainingRun(abc, worse), path, replace=False)
    assert kept.saved is not None and not kept.saved.saved
    assert kept.saved.read is not None and kept.saved.saved_read == 3
    assert kept.saved.read < kept.saved.saved_read
    assert path.read_bytes() == good and not model_io.previous_path(path).exists()
    forced = train_and_save(TrainingRun(abc, worse), path, replace=True)
    assert forced.saved is not None and forced.saved.saved and forced.saved.replaced
    assert model_io.previous_path(path).read_bytes() == good


def test_save_trained_without_replace_needs_the_alphabet(tmp_path: Path) -> None:
    run = TrainingRun(load_bundled("abc"), TrainSettings(epochs=1, log_every=1))
    list(run.run())
    with pytest.raises(ValueError):
        save_trained(run.model(), tmp_path / "abc.npz", replace=False)


def test_stopped_or_stepped_short_saves_nothing(tmp_path: Path) -> None:
    abc = load_bundled("abc")
    path = model_file(tmp_path, "abc")
    stop = threading.Event()
    stop.set()
    run = TrainingRun(abc, GOOD)
    assert train_and_save(run, path, stop=stop) == train_and_save(run, path, epochs=0)
    stepped = train_and_save(run, path, epochs=1)
    assert stepped.model is None and stepped.saved is None and run.epochs_done == 1
    # A single step measures its loss (a point on the curve) without changing the run's rate.
    assert run.curve[-1][0] == 0 and run.curve_every == max(1, GOOD.epochs // 500)
    assert not path.exists()
    refused = train_and_save(run, path, save_if=lambda: False)
    assert run.finished and refused.model is None and not path.exists()


def test_weights_that_are_not_numbers_are_refused_for_every_caller(tmp_path: Path) -> None:
    run = TrainingRun(load_bundled("abc"), TrainSettings(epochs=1, log_every=1))
    run.network.W1[0, 0] = np.inf
    with pytest.raises(TrainingDiverged, match="stopped being numbers after 0 epochs"):
        train_and_save(run, model_file(tmp_path, "abc"), epochs=0)
    assert not model_file(tmp_path, "abc").exists()


def test_the_workspace_saves_its_alphabet_and_sees_another_process_s_model(
    tmp_path: Path,
) -> None:
    abc = load_bundled("abc")
    bundled = Path(str(paths.assets())) / "alphabets" / "abc.txt"
    ws = Workspace(tmp_path, abc, bundled)
    assert not ws.dirty and ws.model is None and ws.read_model() == (None, None)
    ws.alphabet = abc.with_letter("Z")
    assert ws.dirty
    saved_at = ws.save_alphabet()
    assert saved_at == tmp_path / "alphabets" / "abc.txt" and not ws.dirty
    assert ws.alphabet_path == saved_at
    assert not ws.model_file_changed()
    # Another process (`letter-tui train --headless`) writes the model file.
    code = (
        "from letter_tui.core.alphabet import load_bundled\n"
        "from letter_tui.core.training import TrainingRun, TrainSettings\n"
        "from letter_tui.services.workspace import model_file, train_and_save\n"
        "import sys\n"
        "run = TrainingRun(load_bundled('abc'), TrainSettings(epochs=5, log_every=5))\n"
        "train_and_save(run, model_file(__import__('pathlib').Path(sys.argv[1]), 'abc'))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, timeout=60)
    assert ws.model_file_changed() and not ws.model_file_changed()  # once per change
    model, notice = ws.read_model()
    assert model is not None and notice is None and model.meta.epochs == 5
    ws.set_model(model)
    assert ws.model_problem() is not None  # the workspace's alphabet has a Z now
    os.utime(ws.model_path, ns=(1, 1))
    assert ws.model_file_changed()
    ws.model_path.write_bytes(b"junk")
    assert ws.read_model()[0] is None and "abc.npz" in (ws.read_model()[1] or "")


def test_remote_players_save_no_alphabet(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, load_bundled("abc"), tmp_path / "abc.txt", remote=True)
    with pytest.raises(PermissionError):
        ws.save_alphabet()


def test_the_services_never_import_textual_and_the_workspace_not_numpy() -> None:
    code = (
        "import sys\n"
        "import letter_tui.services.workspace\n"
        "assert 'numpy' not in sys.modules, 'the app builds a Workspace before NumPy'\n"
        "import letter_tui.services.train_controller, letter_tui.services.quiz_controller\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
