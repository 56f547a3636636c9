"""Model files: round trip, corrupt bytes, models that do not fit, never overwritten silently."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from letter_tui.core import model_io
from letter_tui.core.alphabet import Alphabet, load_bundled
from letter_tui.core.errors import ModelError
from letter_tui.core.training import TrainingRun, TrainSettings


@pytest.fixture(scope="module")
def trained():
    abc = load_bundled("abc")
    run = TrainingRun(abc, TrainSettings(epochs=300, log_every=100))
    list(run.run())
    return run.model()


def test_round_trip(tmp_path: Path, trained) -> None:
    path = tmp_path / "models" / "abc.npz"
    assert model_io.save_model(trained, path) is None
    again = model_io.load_model(path)
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_array_equal(getattr(again.network, name), getattr(trained.network, name))
    assert again.meta == trained.meta
    assert again.meta.letters == ("A", "B", "C")
    assert again.meta.epochs == 300
    assert [e for e, _ in again.meta.loss_history] == [0, 100, 200]


def test_file_holds_the_tutorials_arrays_and_loads_without_pickle(tmp_path: Path, trained) -> None:
    path = tmp_path / "abc.npz"
    model_io.save_model(trained, path)
    with np.load(path, allow_pickle=False) as archive:
        assert archive["W1"].shape == (30, 5)
        assert archive["b1"].shape == (1, 5)
        assert archive["W2"].shape == (5, 3)
        assert archive["b2"].shape == (1, 3)


@pytest.mark.parametrize("cut", [0, 10, 200, -50])
def test_truncated_or_corrupt_bytes_are_a_clear_error(tmp_path: Path, trained, cut: int) -> None:
    data = model_io.to_bytes(trained)
    path = tmp_path / "abc.npz"
    path.write_bytes(data[:cut] if cut else b"not a model at all")
    with pytest.raises(ModelError, match=r"abc\.npz") as caught:
        model_io.load_model(path)
    assert "\n" not in str(caught.value)


def test_pickled_object_arrays_are_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    np.savez(buffer, W1=np.array([object()], dtype=object), b1=1, W2=1, b2=1, meta="{}")
    path = tmp_path / "evil.npz"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ModelError):
        model_io.load_model(path)


def test_wrong_shapes_are_refused(tmp_path: Path, trained) -> None:
    data = model_io.to_bytes(trained)
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    swapped = io.BytesIO()
    np.save(swapped, np.zeros((29, 5)))
    parts["W1.npy"] = swapped.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zout:
        for name, blob in parts.items():
            zout.writestr(name, blob)
    with pytest.raises(ModelError, match=r"W1 has shape \(29, 5\)"):
        model_io.from_bytes(out.getvalue(), "m.npz")


def test_a_model_that_does_not_fit_the_alphabet(tmp_path: Path, trained) -> None:
    abc = load_bundled("abc")
    model_io.save_model(trained, model_io.model_path(tmp_path, "abc"))
    assert model_io.load_for(tmp_path, abc).fits(abc)
    grown = abc.with_letter("Z")
    assert "added Z" in trained.mismatch(grown)
    with pytest.raises(ModelError, match=r"does not fit alphabet 'abc'.*added Z.*letter-tui train"):
        model_io.load_for(tmp_path, grown)
    assert "5x6" in trained.mismatch(Alphabet("tiny", 3, 3, ("A", "B", "C"), ((0,) * 9,) * 3))


def test_missing_model_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(
        ModelError, match=r"no trained model.*letter-tui train --headless --alphabet abc"
    ):
        model_io.load_for(tmp_path, load_bundled("abc"))


def test_a_corrupt_file_is_kept_aside_not_overwritten(tmp_path: Path, trained) -> None:
    path = tmp_path / "abc.npz"
    path.write_bytes(b"garbage the user may want to look at")
    note = model_io.save_model(trained, path)
    assert note and "could not be read" in note
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("abc.npz.corrupt-")]
    assert len(kept) == 1
    assert kept[0].read_bytes() == b"garbage the user may want to look at"
    assert model_io.load_model(path).meta.epochs == 300


def test_the_replaced_model_is_kept_one_generation_back(tmp_path: Path, trained) -> None:
    path = tmp_path / "models" / "abc.npz"
    previous = model_io.previous_path(path)
    assert previous == tmp_path / "models" / "abc.previous.npz"
    assert model_io.save_model(trained, path) is None
    assert not previous.exists()
    first = path.read_bytes()
    second = model_io.Model(trained.network, replace(trained.meta, epochs=301))
    third = model_io.Model(trained.network, replace(trained.meta, epochs=302))
    model_io.save_model(second, path)
    assert previous.read_bytes() == first
    model_io.save_model(third, path)
    assert model_io.load_model(previous).meta.epochs == 301
    assert model_io.load_model(path).meta.epochs == 302
    # No temporary files left behind: both writes were atomic renames.
    assert sorted(p.name for p in path.parent.iterdir()) == ["abc.npz", "abc.previous.npz"]


def test_a_corrupt_file_never_replaces_the_last_good_previous(tmp_path: Path, trained) -> None:
    path = tmp_path / "abc.npz"
    model_io.save_model(trained, path)
    model_io.save_model(trained, path)
    good = model_io.previous_path(path).read_bytes()
    path.write_bytes(b"PK but not really")
    assert "could not be read" in (model_io.save_model(trained, path) or "")
    assert model_io.previous_path(path).read_bytes() == good


def test_an_unreadable_previous_file_names_its_alphabet(tmp_path: Path) -> None:
    path = tmp_path / "abc.previous.npz"
    path.write_bytes(b"junk")
    with pytest.raises(ModelError, match=r"--alphabet abc$"):
        model_io.load_model(path)


def test_clean_letters_read(tmp_path: Path, trained) -> None:
    abc = load_bundled("abc")
    assert model_io.clean_letters_read(trained.network, abc) == 3
    path = model_io.model_path(tmp_path, "abc")
    assert model_io.saved_clean_letters_read(path, abc) is None  # nothing saved
    model_io.save_model(trained, path)
    assert model_io.saved_clean_letters_read(path, abc) == 3
    assert model_io.saved_clean_letters_read(path, abc.with_letter("Z")) is None
    path.write_bytes(b"junk")
    assert model_io.saved_clean_letters_read(path, abc) is None


def test_every_caller_of_the_save_keeps_the_replaced_model(tmp_path: Path, trained) -> None:
    """The quiz's own training and the server's first model save through `save_model` too."""
    import io as text_io
    import threading

    from letter_tui.app.workers.quiz_tasks import TrainDone, train_model
    from letter_tui.server.main import ensure_model

    abc = load_bundled("abc")
    path = model_io.model_path(tmp_path, "abc")
    model_io.save_model(trained, path)
    before = path.read_bytes()
    posted: list[object] = []
    train_model(abc, threading.Event(), path, posted.append)
    assert isinstance(posted[-1], TrainDone)
    assert model_io.previous_path(path).read_bytes() == before
    # The server trains only when there is no model, and reports where it went.
    out = text_io.StringIO()
    root = tmp_path / "server"
    assert ensure_model(root, abc, out) == model_io.model_path(root, "abc")
    assert out.getvalue().splitlines()[-1] == f"Model saved to {model_io.model_path(root, 'abc')}"
    assert not model_io.previous_path(model_io.model_path(root, "abc")).exists()
