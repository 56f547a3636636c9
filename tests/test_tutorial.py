"""The tutorial's numbers, reproduced; and the algorithm checked independently of our code."""

from __future__ import annotations

import numpy as np
import pytest

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.network import Network, Trainer

# Printed by the tutorial's code (once `backward` is made to run), epoch 0 to 9000.
TUTORIAL_LOG = [
    (0, 0.2503635102723096),
    (1000, 0.004769725097954073),
    (2000, 0.0003194627041506492),
    (3000, 0.00010030738249725635),
    (4000, 4.8174040788080985e-05),
    (5000, 2.8174987581020595e-05),
    (6000, 1.8461455284998255e-05),
    (7000, 1.3024790953859691e-05),
    (8000, 9.678844595823868e-06),
    (9000, 7.474481886750926e-06),
]


def reference_training(X, y, *, hidden, lr, epochs, seed, every):
    """The tutorial's code, written out again independently, with its globals fixed."""
    np.random.seed(seed)
    W1 = np.random.randn(X.shape[1], hidden) * 0.01
    b1 = np.zeros((1, hidden))
    W2 = np.random.randn(hidden, y.shape[1]) * 0.01
    b2 = np.zeros((1, y.shape[1]))

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    log = []
    for epoch in range(epochs):
        A1 = sigmoid(np.dot(X, W1) + b1)
        A2 = sigmoid(np.dot(A1, W2) + b2)
        m = X.shape[0]
        dZ2 = A2 - y
        dW2 = np.dot(A1.T, dZ2) / m
        db2 = np.sum(dZ2, axis=0, keepdims=True) / m
        dZ1 = np.dot(dZ2, W2.T) * (A1 * (1 - A1))
        dW1 = np.dot(X.T, dZ1) / m
        db1 = np.sum(dZ1, axis=0, keepdims=True) / m
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
        if epoch % every == 0:
            log.append((epoch, float(np.mean(np.square(y - A2)))))
    return log, (W1, b1, W2, b2)


def our_log(X, y, *, hidden, lr, epochs, seed, every):
    net = Network.create(X.shape[1], hidden, y.shape[1], seed)
    log = [(p.epoch, p.loss) for p in Trainer(net, X, y, lr).run(epochs, every)]
    return [entry for entry in log if entry[0] % every == 0], net


def test_the_tutorials_loss_log() -> None:
    abc = load_bundled("abc")
    log, _ = our_log(
        abc.matrix(), abc.targets(), hidden=5, lr=0.1, epochs=10000, seed=42, every=1000
    )
    assert [e for e, _ in log] == [e for e, _ in TUTORIAL_LOG]
    for (_, ours), (_, theirs) in zip(log, TUTORIAL_LOG, strict=True):
        assert ours == pytest.approx(theirs, rel=1e-9, abs=0)


def test_initial_weights_are_drawn_as_the_tutorial_draws_them() -> None:
    np.random.seed(42)
    W1 = np.random.randn(30, 5) * 0.01
    W2 = np.random.randn(5, 3) * 0.01
    net = Network.create(30, 5, 3, seed=42)
    assert np.array_equal(net.W1, W1) and np.array_equal(net.W2, W2)
    assert not net.b1.any() and not net.b2.any()


@pytest.mark.parametrize(
    ("alphabet", "hidden", "lr", "seed", "epochs", "every"),
    [("az", 12, 0.5, 7, 600, 50), ("abc", 3, 1.3, 0, 1500, 100)],
)
def test_other_settings_match_an_independent_reimplementation(
    alphabet, hidden, lr, seed, epochs, every
) -> None:
    alpha = load_bundled(alphabet)
    X, y = alpha.matrix(), alpha.targets()
    kwargs = dict(hidden=hidden, lr=lr, epochs=epochs, seed=seed, every=every)
    theirs, weights = reference_training(X, y, **kwargs)
    ours, net = our_log(X, y, **kwargs)
    assert len(ours) == len(theirs)
    for (e1, l1), (e2, l2) in zip(ours, theirs, strict=True):
        assert e1 == e2
        assert l1 == pytest.approx(l2, rel=1e-9, abs=0)
    for mine, ref in zip((net.W1, net.b1, net.W2, net.b2), weights, strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-9, atol=1e-15)


def test_gradients_match_finite_differences() -> None:
    """The update is lr times the gradient of the loss the tutorial's rule descends.

    With sigmoid outputs, `dZ2 = A2 - y` is the gradient of the cross-entropy
    L = -sum(y log A2 + (1 - y) log(1 - A2)) / m, so one step of lr = h must move every
    weight by -h * dL/dw; we check that against central differences.
    """
    rng = np.random.default_rng(3)
    X = rng.integers(0, 2, size=(4, 12)).astype(float)
    y = np.eye(4)[:, :3]
    net = Network.create(12, 4, 3, seed=5)
    net.W1 += rng.normal(0, 0.5, net.W1.shape)
    net.W2 += rng.normal(0, 0.5, net.W2.shape)

    def loss(n: Network) -> float:
        _, A2 = n.forward(X)
        return float(-np.sum(y * np.log(A2) + (1 - y) * np.log(1 - A2)) / len(X))

    lr = 1e-3
    stepped = net.copy()
    list(Trainer(stepped, X, y, lr).run(1, 1))
    for name in ("W1", "b1", "W2", "b2"):
        before, after = getattr(net, name), getattr(stepped, name)
        analytic = (before - after) / lr
        numeric = np.zeros_like(before)
        for idx in np.ndindex(before.shape):
            plus, minus = net.copy(), net.copy()
            getattr(plus, name)[idx] += 1e-6
            getattr(minus, name)[idx] -= 1e-6
            numeric[idx] = (loss(plus) - loss(minus)) / 2e-6
        np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8, err_msg=name)


def test_training_stops_between_epochs_when_asked() -> None:
    import threading

    abc = load_bundled("abc")
    stop = threading.Event()
    trainer = Trainer(Network.create(30, 5, 3), abc.matrix(), abc.targets())
    seen = []
    for progress in trainer.run(10000, report_every=10, stop=stop):
        seen.append(progress.epoch)
        if progress.epoch == 50:
            stop.set()
    assert seen[-1] == 50
    assert trainer.epochs_done == 51


def test_predict_takes_one_bitmap_or_a_batch() -> None:
    abc = load_bundled("abc")
    net = Network.create(30, 5, 3)
    list(Trainer(net, abc.matrix(), abc.targets()).run(3000, 3000))
    batch = net.predict_proba(abc.matrix())
    assert batch.shape == (3, 3)
    one = net.predict_proba(abc.bitmaps[1])
    assert one.shape == (3,)
    np.testing.assert_allclose(one, batch[1], rtol=1e-12)
    assert net.predict(abc.bitmaps[2]) == 2
    assert net.predict(np.array(abc.bitmaps[0]).reshape(5, 6)) == 0
    assert list(net.predict(abc.matrix())) == [0, 1, 2]
    # Independent sigmoids: each in (0, 1), not normalised to sum to one.
    assert np.all((batch > 0) & (batch < 1))
    assert not np.allclose(batch.sum(axis=1), 1.0)
