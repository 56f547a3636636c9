"""The network and its trainer: the tutorial's numbers, the options' maths, chunked runs."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.network import Network, Trainer
from tests.test_tutorial import TUTORIAL_LOG


def abc_data() -> tuple[np.ndarray, np.ndarray]:
    abc = load_bundled("abc")
    return abc.matrix(), abc.targets()


def az_data() -> tuple[np.ndarray, np.ndarray]:
    az = load_bundled("az")
    return az.matrix(), az.targets()


def test_tutorial_loss_log() -> None:
    X, Y = abc_data()
    trainer = Trainer(Network.create(30, 5, 3, 42), X, Y, 0.1)
    log = [(p.epoch, p.loss) for p in trainer.run(10000, 1000)]
    assert [e for e, _ in log] == [e for e, _ in TUTORIAL_LOG]
    for (_, got), (_, want) in zip(log, TUTORIAL_LOG, strict=True):
        assert got == pytest.approx(want, rel=1e-9)


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-z))


def reference_train(X, Y, hidden, lr, epochs, seed, *, batch=0, softmax=False, init="tutorial",
                    noise=0.0, noisy_from=None):  # fmt: skip
    """The tutorial's loop, written out plainly, with the options added the obvious way."""
    m, n_in = X.shape
    n_out = Y.shape[1]
    rs = np.random.RandomState(seed)
    s1, s2 = (0.01, 0.01) if init == "tutorial" else (n_in**-0.5, hidden**-0.5)
    W1 = rs.randn(n_in, hidden) * s1
    W2 = rs.randn(hidden, n_out) * s2
    b1, b2 = np.zeros((1, hidden)), np.zeros((1, n_out))
    rng = np.random.default_rng(seed)
    X = X.copy()
    clean = X.copy()
    losses = []
    for _ in range(epochs):
        if noise:
            flips = rng.random(clean[noisy_from:].shape) < noise
            X[noisy_from:] = np.where(flips, 1 - clean[noisy_from:], clean[noisy_from:])
        order = rng.permutation(m) if batch else np.arange(m)
        size = batch or m
        total = 0.0
        for start in range(0, m, size):
            rows = order[start : start + size]
            x, y = X[rows], Y[rows]
            A1 = sigmoid(x @ W1 + b1)
            Z2 = A1 @ W2 + b2
            if softmax:
                e = np.exp(Z2 - Z2.max(1, keepdims=True))
                A2 = e / e.sum(1, keepdims=True)
                total += -np.sum(np.log(A2[y == 1]))
            else:
                A2 = sigmoid(Z2)
                total += np.sum((y - A2) ** 2)
            k = len(rows)
            dZ2 = A2 - y
            dW2 = A1.T @ dZ2 / k
            db2 = dZ2.sum(0, keepdims=True) / k
            dZ1 = (dZ2 @ W2.T) * A1 * (1 - A1)
            dW1 = x.T @ dZ1 / k
            db1 = dZ1.sum(0, keepdims=True) / k
            W1, b1, W2, b2 = W1 - lr * dW1, b1 - lr * db1, W2 - lr * dW2, b2 - lr * db2
        losses.append(total / (m if softmax else m * n_out))
    return Network(W1, b1, W2, b2), losses


def assert_same_network(a: Network, b: Network, rel: float = 1e-9) -> None:
    for name in ("W1", "b1", "W2", "b2"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), rtol=rel, atol=1e-12)


@pytest.mark.parametrize(
    "options",
    [
        {"hidden": 4, "lr": 0.3, "seed": 7},
        {"hidden": 16, "lr": 0.5, "seed": 3, "batch": 7, "softmax": True, "init": "scaled"},
        {"hidden": 8, "lr": 0.2, "seed": 5, "batch": 10, "noise": 0.1},
        {"hidden": 8, "lr": 1.0, "seed": 9, "softmax": True, "noise": 0.2},
    ],
)
def test_matches_an_independent_reimplementation(options: dict) -> None:
    X0, Y0 = az_data()
    X, Y = np.vstack([X0, X0, X0]), np.vstack([Y0, Y0, Y0])
    epochs = 40
    want_net, want_losses = reference_train(
        X, Y, options["hidden"], options["lr"], epochs, options["seed"],
        batch=options.get("batch", 0), softmax=options.get("softmax", False),
        init=options.get("init", "tutorial"), noise=options.get("noise", 0.0), noisy_from=26,
    )  # fmt: skip
    net = Network.create(
        30,
        options["hidden"],
        26,
        options["seed"],
        init=options.get("init", "tutorial"),
        output="softmax" if options.get("softmax") else "sigmoid",
    )
    noise = options.get("noise", 0.0)
    trainer = Trainer(
        net,
        X,
        Y,
        options["lr"],
        batch_size=options.get("batch", 0),
        noise=noise,
        noisy_from=26 if noise else None,
        rng=np.random.default_rng(options["seed"]),
    )
    losses = [p.loss for p in trainer.run(epochs, report_every=1)]
    np.testing.assert_allclose(losses, want_losses, rtol=1e-9)
    assert_same_network(net, want_net)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_one_step_follows_the_gradient_of_the_cross_entropy(output: str) -> None:
    """dZ2 = A2 - y is the gradient of cross-entropy (binary for sigmoid outputs, which is why
    the tutorial's rule works though it prints the squared error): check by finite differences."""
    X, Y = abc_data()
    net = Network.create(30, 4, 3, 11, init="scaled", output=output)
    before = net.copy()

    def loss(n: Network) -> float:
        _, A2 = n.forward(X)
        if output == "softmax":
            return -float(np.mean(np.sum(Y * np.log(A2), axis=1)))
        return -float(np.mean(np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2), axis=1)))

    lr = 0.01
    list(Trainer(net, X, Y, lr).run(1))
    h = 1e-6
    for name in ("W1", "b1", "W2", "b2"):
        params = getattr(before, name)
        numeric = np.zeros_like(params)
        for index in np.ndindex(params.shape):
            plus, minus = before.copy(), before.copy()
            getattr(plus, name)[index] += h
            getattr(minus, name)[index] -= h
            numeric[index] = (loss(plus) - loss(minus)) / (2 * h)
        step = (params - getattr(net, name)) / lr
        np.testing.assert_allclose(step, numeric, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize(
    "options",
    [{}, {"batch_size": 9, "noise": 0.1, "noisy_from": 26}, {"batch_size": 64}],
)
def test_chunked_runs_equal_one_run(options: dict) -> None:
    X0, Y0 = az_data()
    X, Y = np.vstack([X0, X0]), np.vstack([Y0, Y0])

    def trainer() -> Trainer:
        net = Network.create(30, 8, 26, 1, output="softmax", init="scaled")
        return Trainer(net, X, Y, 0.5, rng=np.random.default_rng(1), **options)

    whole = trainer()
    one = [(p.epoch, p.loss) for p in whole.run(25, report_every=5, sample_every=2)]
    pieces = trainer()
    chunked = []
    for n in (1, 1, 7, 3, 13):
        chunked += [(p.epoch, p.loss) for p in pieces.run(n, report_every=5, sample_every=2)]
    assert chunked == one
    assert pieces.epochs_done == whole.epochs_done == 25
    for name in ("W1", "b1", "W2", "b2"):
        assert np.array_equal(getattr(pieces.network, name), getattr(whole.network, name))


def test_stop_event_stops_between_epochs() -> None:
    X, Y = abc_data()
    trainer = Trainer(Network.create(30, 5, 3, 42), X, Y)
    stop = threading.Event()
    seen = []
    for progress in trainer.run(10000, report_every=10, stop=stop):
        seen.append(progress.epoch)
        if progress.epoch == 30:
            stop.set()
    assert seen == [0, 10, 20, 30]
    assert trainer.epochs_done == 31
    # Weights are written back when a run stops, and a stopped run can go on.
    assert not np.array_equal(trainer.network.W1, Network.create(30, 5, 3, 42).W1)
    assert [p.epoch for p in trainer.run(20, report_every=10)] == [40, 50]


def test_set_stop_event_trains_nothing() -> None:
    X, Y = abc_data()
    trainer = Trainer(Network.create(30, 5, 3, 42), X, Y)
    stop = threading.Event()
    stop.set()
    assert list(trainer.run(100, stop=stop)) == []
    assert trainer.epochs_done == 0


def test_progress_flags_log_lines_and_samples() -> None:
    X, Y = abc_data()
    trainer = Trainer(Network.create(30, 5, 3, 42), X, Y)
    got = [(p.epoch, p.logged) for p in trainer.run(7, report_every=4, sample_every=3)]
    assert got == [(0, True), (3, False), (4, True), (6, False)]


def test_create_draws_w1_then_w2_from_randomstate() -> None:
    rs = np.random.RandomState(5)
    W1, W2 = rs.randn(30, 6), rs.randn(6, 4)
    tutorial = Network.create(30, 6, 4, 5)
    scaled = Network.create(30, 6, 4, 5, init="scaled")
    np.testing.assert_array_equal(tutorial.W1, W1 * 0.01)
    np.testing.assert_array_equal(tutorial.W2, W2 * 0.01)
    np.testing.assert_allclose(scaled.W1, W1 / np.sqrt(30))
    np.testing.assert_allclose(scaled.W2, W2 / np.sqrt(6))
    assert not scaled.b1.any() and not scaled.b2.any()


def test_create_refuses_unknown_options() -> None:
    with pytest.raises(ValueError, match="init"):
        Network.create(30, 5, 3, init="zeros")
    with pytest.raises(ValueError, match="output"):
        Network.create(30, 5, 3, output="relu")


def test_trainer_refuses_data_that_does_not_fit() -> None:
    X, Y = abc_data()
    with pytest.raises(ValueError, match="does not fit"):
        Trainer(Network.create(30, 5, 4), X, Y)


def test_predict_takes_one_bitmap_or_a_batch() -> None:
    X, Y = abc_data()
    net = Network.create(30, 5, 3, 42)
    list(Trainer(net, X, Y).run(2000))
    assert net.predict(X[1]) == 1
    assert net.predict(X[1].reshape(5, 6)) == 1
    assert list(net.predict(X)) == [0, 1, 2]
    assert net.predict_proba(X[0]).shape == (3,)
    assert net.predict_proba(X).shape == (3, 3)
    # Independent sigmoids: nothing makes them sum to one.
    assert not np.allclose(net.predict_proba(X).sum(1), 1)


def test_softmax_outputs_sum_to_one_and_predict_the_same_as_their_logits() -> None:
    net = Network.create(30, 5, 3, 42, init="scaled", output="softmax")
    X, _ = abc_data()
    proba = net.predict_proba(X)
    np.testing.assert_allclose(proba.sum(1), 1)
    sig = Network(net.W1, net.b1, net.W2, net.b2)
    assert list(net.predict(X)) == list(sig.predict(X))


def test_copy_is_independent() -> None:
    net = Network.create(30, 5, 3, output="softmax")
    twin = net.copy()
    twin.W1[0, 0] += 1
    assert net.W1[0, 0] != twin.W1[0, 0]
    assert twin.output == "softmax"
