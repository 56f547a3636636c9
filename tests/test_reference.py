"""The readable reference (core/reference.py) is the fast Trainer's arithmetic, to 1e-12."""

from __future__ import annotations

import inspect

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tutorial import TUTORIAL_LOG, reference_training

from letter_tui.core import network, reference
from letter_tui.core.alphabet import load_bundled
from letter_tui.core.network import Network, Trainer
from letter_tui.core.reference import (
    initial_weights,
    prepare_dataset,
    reference_step,
    sigmoid,
    sigmoid_derivative,
)

TOLERANCE = 1e-12


def weights_of(net: Network) -> tuple[np.ndarray, ...]:
    return net.W1, net.b1, net.W2, net.b2


def compare(X, y, *, hidden: int, lr: float, seed: int, epochs: int) -> None:
    """Reference and Trainer from the same start: every epoch's loss and the final weights."""
    net = Network.create(X.shape[1], hidden, y.shape[1], seed)
    weights = initial_weights((X.shape[1], hidden, y.shape[1]), seed)
    for mine, theirs in zip(weights, weights_of(net), strict=True):
        assert np.array_equal(mine, theirs)
    fast = {p.epoch: p.loss for p in Trainer(net, X, y, lr).run(epochs, report_every=1)}
    for epoch in range(epochs):
        step = reference_step(X, y, *weights, lr)
        assert abs(step.loss - fast[epoch]) <= TOLERANCE, epoch
        weights = step.new_weights
    for name, mine, theirs in zip(("W1", "b1", "W2", "b2"), weights, weights_of(net), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=0, atol=TOLERANCE, err_msg=name)


def test_network_reexports_the_reference_step() -> None:
    assert network.reference_step is reference.reference_step


def test_the_tutorials_whole_run_matches_the_fast_trainer() -> None:
    X, y = prepare_dataset(load_bundled("abc"))
    compare(X, y, hidden=5, lr=0.1, seed=42, epochs=10000)


@pytest.mark.parametrize(
    ("name", "hidden", "lr", "seed", "epochs"),
    [("az", 12, 0.5, 7, 2000), ("abc", 3, 1.3, 0, 3000), ("az", 64, 0.5, 42, 500)],
)
def test_other_settings_match_over_many_epochs(name, hidden, lr, seed, epochs) -> None:
    X, y = prepare_dataset(load_bundled(name))
    compare(X, y, hidden=hidden, lr=lr, seed=seed, epochs=epochs)


@settings(max_examples=40, deadline=None)
@given(
    letters=st.integers(1, 8),
    pixels=st.integers(1, 40),
    hidden=st.integers(1, 16),
    lr=st.floats(0.01, 1.5),
    seed=st.integers(0, 2**32 - 1),
    epochs=st.integers(1, 200),
    data_seed=st.integers(0, 1000),
)
def test_any_small_network_matches(letters, pixels, hidden, lr, seed, epochs, data_seed) -> None:
    rng = np.random.default_rng(data_seed)
    X = rng.integers(0, 2, size=(letters, pixels)).astype(float)
    y = np.eye(letters)
    compare(X, y, hidden=hidden, lr=lr, seed=seed, epochs=epochs)


def test_the_reference_prints_the_tutorials_log() -> None:
    X, y = prepare_dataset(load_bundled("abc"))
    printed: list[str] = []
    reference.train(X, y, initial_weights((30, 5, 3), 42), 10000, 0.1, 0, printed.append)
    assert [line.split(",")[0] for line in printed] == [f"Epoch {e}" for e, _ in TUTORIAL_LOG]
    for line, (_, loss) in zip(printed, TUTORIAL_LOG, strict=True):
        assert float(line.split("Loss: ")[1]) == pytest.approx(loss, rel=1e-9, abs=0)


def test_the_reference_matches_the_tests_own_reimplementation() -> None:
    X, y = prepare_dataset(load_bundled("az"))
    log, theirs = reference_training(X, y, hidden=7, lr=0.3, epochs=300, seed=3, every=1)
    weights = initial_weights((30, 7, 26), 3)
    for epoch in range(300):
        step = reference_step(X, y, *weights, 0.3)
        assert step.loss == pytest.approx(log[epoch][1], rel=1e-12, abs=0)
        weights = step.new_weights
    for mine, ref in zip(weights, theirs, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=0, atol=TOLERANCE)


def test_a_step_keeps_every_value_with_the_tutorials_shapes() -> None:
    X, y = prepare_dataset(load_bundled("abc"))
    weights = initial_weights((30, 5, 3))
    step = reference_step(X, y, *weights)
    shapes = {name: getattr(step, name).shape for name in ("Z1", "A1", "Z2", "A2", "dZ1", "dA1")}
    assert shapes == {
        "Z1": (3, 5), "A1": (3, 5), "Z2": (3, 3), "A2": (3, 3), "dZ1": (3, 5), "dA1": (3, 5)
    }  # fmt: skip
    assert step.dW1.shape == (30, 5) and step.db1.shape == (1, 5)
    assert step.dW2.shape == (5, 3) and step.db2.shape == (1, 3)
    # The step does not change the weights it was given; it hands back new ones.
    assert step.W1 is weights[0] and not np.array_equal(step.new_W1, step.W1)
    np.testing.assert_array_equal(step.new_W2, step.W2 - 0.1 * step.dW2)


def test_sigmoid_derivative_takes_the_activation() -> None:
    z = np.linspace(-5, 5, 11)
    a = sigmoid(z)
    slope = (sigmoid(z + 1e-6) - sigmoid(z - 1e-6)) / 2e-6
    np.testing.assert_allclose(sigmoid_derivative(a), slope, rtol=1e-6)


def test_the_reference_reads_as_the_tutorial() -> None:
    source = inspect.getsource(reference.backward)
    for line in ("dZ2 = A2 - y", "dA1 = np.dot(dZ2, W2.T)", "dZ1 = dA1 * sigmoid_derivative(A1)"):
        assert line in source
