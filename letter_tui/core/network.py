"""The tutorial's network, done right: one sigmoid hidden layer, sigmoid outputs, full batch.

The update rule is the tutorial's (`dZ2 = A2 - y`, gradients averaged over the batch,
plain gradient descent), and so are the initial weights: `RandomState(seed)`, W1 then W2,
each `randn * 0.01`, biases zero. The outputs are independent sigmoids, not probabilities:
they need not sum to one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


@dataclass
class Network:
    W1: np.ndarray  # (inputs, hidden)
    b1: np.ndarray  # (1, hidden)
    W2: np.ndarray  # (hidden, outputs)
    b2: np.ndarray  # (1, outputs)

    @classmethod
    def create(cls, n_inputs: int, n_hidden: int, n_outputs: int, seed: int = 42) -> Network:
        """Weights drawn exactly as the tutorial draws them (`np.random.seed(seed)` then randn)."""
        rng = np.random.RandomState(seed)
        W1 = rng.randn(n_inputs, n_hidden) * 0.01
        W2 = rng.randn(n_hidden, n_outputs) * 0.01
        return cls(W1, np.zeros((1, n_hidden)), W2, np.zeros((1, n_outputs)))

    @property
    def n_inputs(self) -> int:
        return self.W1.shape[0]

    @property
    def n_hidden(self) -> int:
        return self.W1.shape[1]

    @property
    def n_outputs(self) -> int:
        return self.W2.shape[1]

    def copy(self) -> Network:
        return Network(self.W1.copy(), self.b1.copy(), self.W2.copy(), self.b2.copy())

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hidden and output activations for a batch X of shape (n, inputs)."""
        A1 = sigmoid(X @ self.W1 + self.b1)
        A2 = sigmoid(A1 @ self.W2 + self.b2)
        return A1, A2

    def _batch(self, X: np.ndarray | list) -> tuple[np.ndarray, bool]:
        array = np.asarray(X, dtype=np.float64)
        single = array.ndim == 1 or (array.ndim == 2 and array.shape == self._grid_shape(array))
        batch = array.reshape(1, -1) if single else array.reshape(array.shape[0], -1)
        if batch.shape[1] != self.n_inputs:
            raise ValueError(f"expected {self.n_inputs} pixels per bitmap, got {batch.shape[1]}")
        return batch, single

    def _grid_shape(self, array: np.ndarray) -> tuple[int, ...]:
        # A 2-D array is one bitmap when it holds exactly one grid's pixels and is not (1, n).
        if array.size == self.n_inputs and array.shape[0] != 1 and array.shape[1] != self.n_inputs:
            return array.shape
        return (-1,)

    def predict_proba(self, X: np.ndarray | list) -> np.ndarray:
        """Output activations: (outputs,) for one bitmap, (n, outputs) for a batch.

        Each is an independent sigmoid in [0, 1]; they are not normalised to sum to one.
        """
        batch, single = self._batch(X)
        _, A2 = self.forward(batch)
        return A2[0] if single else A2

    def predict(self, X: np.ndarray | list) -> np.ndarray | int:
        """Index of the largest output: an int for one bitmap, an array for a batch."""
        outputs = self.predict_proba(X)
        return int(np.argmax(outputs)) if outputs.ndim == 1 else np.argmax(outputs, axis=1)


@dataclass(frozen=True)
class Progress:
    epoch: int  # the epoch whose forward pass gave `loss` (0-based, as the tutorial prints)
    loss: float  # mean squared error over the batch, before that epoch's update
    epochs_done: int  # epochs completed so far


class Trainer:
    """Gradient descent with the tutorial's rule, fast: preallocated buffers and folded steps.

    Internally the weights are stored negated with the bias as an extra row (inputs get a
    column of ones), so one matmul gives -Z and sigmoid is reciprocal(1 + exp(-Z)) with no
    negation; negation is exact in floating point, so the arithmetic is the tutorial's.
    """

    def __init__(self, network: Network, X: np.ndarray, Y: np.ndarray, learning_rate: float = 0.1):
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.float64)
        if (
            X.shape[0] != Y.shape[0]
            or X.shape[1] != network.n_inputs
            or Y.shape[1] != network.n_outputs
        ):
            raise ValueError("training data does not fit the network")
        self.network = network
        self.learning_rate = float(learning_rate)
        self.epochs_done = 0
        m = X.shape[0]
        n_hid, n_out = network.n_hidden, network.n_outputs
        self._m = m
        self._Xa = np.hstack([X, np.ones((m, 1))])  # (m, in+1)
        self._XaT = np.ascontiguousarray(self._Xa.T)
        self._Y = Y
        self._NW1 = -np.vstack([network.W1, network.b1])  # (in+1, hid)
        self._NW2 = -np.vstack([network.W2, network.b2])  # (hid+1, out)
        self._A1a = np.ones((m, n_hid + 1))  # hidden activations plus a column of ones
        self._A1 = self._A1a[:, :n_hid]
        self._Z1 = np.empty((m, n_hid))
        self._A2 = np.empty((m, n_out))
        self._dZ2 = np.empty((m, n_out))
        self._dZ1 = np.empty((m, n_hid))
        self._dA1 = np.empty((m, n_hid))
        self._dW1 = np.empty_like(self._NW1)
        self._dW2 = np.empty_like(self._NW2)

    def run(
        self,
        epochs: int,
        report_every: int = 1000,
        stop: threading.Event | None = None,
    ) -> Iterator[Progress]:
        """Train `epochs` epochs, yielding Progress at every epoch divisible by `report_every`
        (counting from the first epoch ever trained, as the tutorial does) and after the last.

        Stops cleanly between epochs when `stop` is set. The network's weights are written
        back each time progress is yielded and when the run ends.
        """
        exp, add, rec, mul, sub, dot = (
            np.exp,
            np.add,
            np.reciprocal,
            np.multiply,
            np.subtract,
            np.dot,
        )
        Xa, XaT, Y, NW1, NW2 = self._Xa, self._XaT, self._Y, self._NW1, self._NW2
        A1a, A1, Z1, A2 = self._A1a, self._A1, self._Z1, self._A2
        dZ2, dZ1, dA1, dW1, dW2 = self._dZ2, self._dZ1, self._dA1, self._dW1, self._dW2
        A1aT = A1a.T
        NW2h = NW2[:-1]
        NW2hT = NW2h.T
        step = self.learning_rate / self._m
        every = max(1, int(report_every))
        start = self.epochs_done
        last = start + epochs - 1
        try:
            for epoch in range(start, start + epochs):
                if stop is not None and stop.is_set():
                    return
                # Forward: A1 = sigmoid(X W1 + b1); A2 = sigmoid(A1 W2 + b2)
                dot(Xa, NW1, out=Z1)
                exp(Z1, out=Z1)
                add(Z1, 1.0, out=Z1)
                rec(Z1, out=A1)
                dot(A1a, NW2, out=A2)
                exp(A2, out=A2)
                add(A2, 1.0, out=A2)
                rec(A2, out=A2)
                sub(A2, Y, out=dZ2)
                report = epoch % every == 0 or epoch == last
                if report:
                    loss = float(np.mean(np.square(dZ2)))
                # Fold lr / m into dZ2 once: every gradient below is linear in it.
                mul(dZ2, step, out=dZ2)
                # W2 -= lr * dW2 (stored negated, so add); dW2 and db2 in one product.
                dot(A1aT, dZ2, out=dW2)
                # dA1 = dZ2 W2^T, negated by the stored weights.
                dot(dZ2, NW2hT, out=dA1)
                add(NW2, dW2, out=NW2)
                # dZ1 = dA1 * A1 * (1 - A1), still negated.
                sub(1.0, A1, out=dZ1)
                mul(A1, dZ1, out=dZ1)
                mul(dA1, dZ1, out=dZ1)
                dot(XaT, dZ1, out=dW1)
                sub(NW1, dW1, out=NW1)
                self.epochs_done = epoch + 1
                if report:
                    self.sync()
                    yield Progress(epoch, loss, self.epochs_done)
        finally:
            self.sync()

    def sync(self) -> None:
        """Write the current weights back to the network (un-negated, bias split off)."""
        net = self.network
        n_in, n_hid = net.n_inputs, net.n_hidden
        np.negative(self._NW1[:n_in], out=net.W1)
        np.negative(self._NW1[n_in:], out=net.b1)
        np.negative(self._NW2[:n_hid], out=net.W2)
        np.negative(self._NW2[n_hid:], out=net.b2)
