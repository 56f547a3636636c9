"""Training runs: settings, defaults per alphabet, updates for the UI, models, quality."""

from __future__ import annotations

import io
import itertools
import json
import threading
import warnings
from dataclasses import fields, replace

import numpy as np
import pytest

from letter_tui.core import model_io
from letter_tui.core.alphabet import Alphabet, load_bundled
from letter_tui.core.evaluate import noise_curve
from letter_tui.core.training import (
    FIELD_BY_NAME,
    FIELDS,
    TUTORIAL,
    TrainingDiverged,
    TrainingRun,
    TrainSettings,
    default_settings,
    settings_from_text,
)
from tests.test_tutorial import TUTORIAL_LOG

ABC = load_bundled("abc")
AZ = load_bundled("az")


def quick_az(**changes: object) -> TrainSettings:
    return replace(default_settings(AZ), epochs=12, log_every=4, copies=5, **changes)


def test_every_setting_has_a_labelled_explained_field() -> None:
    assert [f.name for f in FIELDS] == [f.name for f in fields(TrainSettings)]
    for field in FIELDS:
        assert field.label and field.help.endswith(".") and field.option.startswith("--")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hidden": 0}, "hidden"),
        ({"learning_rate": 0.0}, "learning_rate"),
        ({"learning_rate": float("nan")}, "learning_rate"),
        ({"epochs": 0}, "epochs"),
        ({"seed": -1}, "seed"),
        ({"noise": 0.6}, "noise"),
        ({"copies": 0}, "copies"),
        ({"log_every": 0}, "log_every"),
        ({"batch_size": -1}, "batch_size"),
        ({"output": "relu"}, "output"),
        ({"init": "zeros"}, "init"),
        ({"fresh_noise": True, "noise": 0.0}, "fresh_noise"),
    ],
)
def test_problems_name_the_field(change: dict, field: str) -> None:
    problems = replace(TUTORIAL, **change).problems()
    assert list(problems) == [field]
    assert problems[field]


def test_good_settings_have_no_problems() -> None:
    assert TUTORIAL.problems() == {}
    assert default_settings(AZ).problems() == {}


def test_settings_from_text() -> None:
    settings, bad = settings_from_text(
        {"hidden": " 12 ", "learning_rate": "0.5", "output": "Softmax", "fresh_noise": "no"}
    )
    assert bad == {}
    assert (settings.hidden, settings.learning_rate, settings.output) == (12, 0.5, "softmax")
    assert settings.epochs == TUTORIAL.epochs
    settings, bad = settings_from_text({"hidden": "many", "epochs": "0", "fresh_noise": "maybe"})
    assert bad["hidden"] == "Hidden units: expected a whole number, got 'many'"
    assert bad["epochs"] == "epochs must be between 1 and 10,000,000"
    assert bad["fresh_noise"] == "Fresh noise: expected yes or no, got 'maybe'"
    with pytest.raises(KeyError):
        settings_from_text({"colour": "red"})


def test_defaults_are_the_tutorials_for_abc() -> None:
    assert default_settings(ABC) == TUTORIAL == TrainSettings()
    assert (TUTORIAL.hidden, TUTORIAL.learning_rate, TUTORIAL.epochs, TUTORIAL.seed) == (
        5,
        0.1,
        10000,
        42,
    )
    assert (TUTORIAL.batch_size, TUTORIAL.output, TUTORIAL.init) == (0, "sigmoid", "tutorial")


def test_az_recipe() -> None:
    s = default_settings(AZ)
    assert (s.hidden, s.copies, s.epochs, s.batch_size, s.output, s.init) == (
        64,
        50,
        300,
        64,
        "softmax",
        "scaled",
    )
    assert s.fresh_noise and s.noise == 0.1 and s.log_every == 30


def alphabet(rows: int, cols: int, letters: int) -> Alphabet:
    rng = np.random.default_rng(letters)
    bitmaps = tuple(tuple(int(v) for v in rng.integers(0, 2, rows * cols)) for _ in range(letters))
    return Alphabet("mine", rows, cols, tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:letters]), bitmaps)


def test_recipe_scales_with_letters_and_grid() -> None:
    small = default_settings(alphabet(3, 3, 2))
    assert small.hidden == 16 and small.copies == 650 and small.problems() == {}
    big = default_settings(alphabet(16, 16, 26))
    assert big.hidden == 64 and 100 <= big.epochs < 300
    assert big.log_every == big.epochs // 10


def test_run_gives_the_tutorial_log_and_history() -> None:
    run = TrainingRun(ABC, TUTORIAL)
    log = [(p.epoch, p.loss) for p in run.run()]
    assert [e for e, _ in log] == [e for e, _ in TUTORIAL_LOG]
    for (_, got), (_, want) in zip(log, TUTORIAL_LOG, strict=True):
        assert got == pytest.approx(want, rel=1e-9)
    assert run.history == log
    assert run.finished and run.epochs_done == 10000
    # The curve: every 20 epochs (10000 // 500) plus each log line, in order.
    assert run.curve_every == 20
    assert [e for e, _ in run.curve] == list(range(0, 10000, 20))
    assert dict(run.curve)[1000] == dict(log)[1000]


def test_refuses_bad_settings() -> None:
    with pytest.raises(ValueError, match="hidden units"):
        TrainingRun(ABC, replace(TUTORIAL, hidden=0))


@pytest.mark.parametrize("changes", [{}, {"fresh_noise": False}, {"batch_size": 0}])
def test_pieces_equal_one_run(changes: dict) -> None:
    settings = quick_az(**changes)
    whole = TrainingRun(AZ, settings, curve_every=3)
    list(whole.run())
    pieces = TrainingRun(AZ, settings, curve_every=3)
    list(pieces.run(epochs=1))  # single step
    for _ in pieces.updates(epochs=4, interval=0):
        pass
    stop = threading.Event()
    stop.set()
    assert [u.epochs_done for u in pieces.updates(stop=stop)] == [5]  # paused: no epoch
    list(pieces.updates())  # resume to the end
    assert pieces.history == whole.history
    assert pieces.curve == whole.curve
    for name in ("W1", "b1", "W2", "b2"):
        assert np.array_equal(getattr(pieces.network, name), getattr(whole.network, name))


def test_updates_carry_everything_once() -> None:
    run = TrainingRun(ABC, replace(TUTORIAL, epochs=3000, log_every=500), curve_every=100)
    ups = list(run.updates(interval=0))
    assert ups[-1].finished and ups[-1].epochs_done == ups[-1].epochs_total == 3000
    assert [e for u in ups for e, _ in u.log] == [0, 500, 1000, 1500, 2000, 2500]
    assert [x for u in ups for x in u.curve] == run.curve
    assert all(a.epochs_done <= b.epochs_done for a, b in itertools.pairwise(ups))
    assert ups[-1].seconds > 0 and ups[-1].epochs_per_second > 0
    assert ups[-1].seconds_left == 0
    # The network in an update is a copy: training on does not change it.
    before = ups[-1].network.W1.copy()
    list(run.run(epochs=10))
    assert np.array_equal(ups[-1].network.W1, before)


def test_updates_are_coalesced() -> None:
    run = TrainingRun(ABC, replace(TUTORIAL, epochs=2000, log_every=1))
    ups = list(run.updates(interval=10.0))
    assert len(ups) == 1  # far less than 10 s of training: one update, at the end
    assert len(ups[0].log) == 2000


def test_stop_from_a_consumer_stops_soon() -> None:
    run = TrainingRun(ABC, TUTORIAL)
    stop = threading.Event()
    ups = []
    for update in run.updates(stop=stop, interval=0):
        ups.append(update)
        stop.set()
    assert not ups[-1].finished
    assert run.epochs_done < 10000


def test_model_keeps_the_options_and_loads(tmp_path) -> None:
    run = TrainingRun(AZ, quick_az())
    list(run.run())
    model = run.model()
    meta = model.meta
    assert (meta.batch_size, meta.output, meta.init, meta.fresh_noise) == (
        64,
        "softmax",
        "scaled",
        True,
    )
    assert meta.copies == 5 and meta.noise == 0.1 and meta.epochs == 12
    assert meta.loss_history == tuple(run.history)
    path = tmp_path / "az.npz"
    model_io.save_model(model, path)
    loaded = model_io.load_model(path)
    assert loaded.meta == meta
    assert loaded.network.output == "softmax"
    X = AZ.matrix()
    np.testing.assert_array_equal(loaded.network.predict_proba(X), run.network.predict_proba(X))


def test_models_saved_before_the_options_still_load(tmp_path) -> None:
    run = TrainingRun(ABC, replace(TUTORIAL, epochs=10))
    list(run.run())
    data = model_io.to_bytes(run.model())
    with np.load(io.BytesIO(data)) as archive:
        arrays = {k: archive[k] for k in archive.files}
    meta = json.loads(str(arrays["meta"]))
    for key in ("init", "fresh_noise", "batch_size", "output"):
        del meta[key]
    arrays["meta"] = np.array(json.dumps(meta))
    path = tmp_path / "old.npz"
    np.savez(path, **arrays)
    loaded = model_io.load_model(path)
    assert loaded.network.output == "sigmoid" and loaded.meta.init == "tutorial"


def test_az_defaults_reach_the_ideal_observer() -> None:
    """The Quality bar: with the proposed defaults, at p=0.1, at least 98% of the ideal
    observer's accuracy on 10,000 fresh noisy letters (the recipe gets within a point)."""
    run = TrainingRun(AZ, default_settings(AZ))
    list(run.run())
    point = noise_curve(run.network, AZ, levels=(0.1,), samples=10_000, seed=7).at(0.1)
    assert point.network >= 0.98 * point.ideal
    assert point.network >= point.ideal - 0.01


def test_field_lookup() -> None:
    assert FIELD_BY_NAME["learning_rate"].option == "--lr"
    assert FIELD_BY_NAME["batch_size"].option == "--batch-size"


def test_a_loss_that_is_not_a_number_stops_training_with_a_clear_error() -> None:
    run = TrainingRun(ABC, replace(TUTORIAL, epochs=50, log_every=10))
    run.trainer._NW1[:] = np.inf  # weights blown up, as a far too large step would
    with pytest.raises(TrainingDiverged, match=r"diverged at epoch 0.*smaller learning rate"):
        list(run.run())
    with pytest.raises(TrainingDiverged, match="weights overflowed"):
        run.model()


def test_overflow_in_the_sigmoid_is_silent() -> None:
    run = TrainingRun(ABC, replace(TUTORIAL, learning_rate=1e6, epochs=30, log_every=10))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(list(run.run())) == 3
        run.network.predict_proba(ABC.matrix())
    assert np.all(np.isfinite(run.network.W1))
