"""The tutorial's network, done right: one sigmoid hidden layer, then the output layer.

By default everything is the tutorial's: sigmoid outputs, full batch, the update rule
`dZ2 = A2 - y` with gradients averaged over the batch and plain gradient descent, and the
initial weights `RandomState(seed)`, W1 then W2, each `randn * 0.01`, biases zero. Sigmoid
outputs are independent, not probabilities: they need not sum to one.

Options beyond the tutorial (all off by default): a softmax output (trained with
cross-entropy, whose gradient is again `A2 - y`), weights scaled by 1/sqrt(fan-in) instead of
0.01, mini-batches reshuffled every epoch, and noisy rows redrawn every epoch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

# The same arithmetic written plainly with the tutorial's names, for reading and for the
# lesson; tests/test_reference.py proves Trainer equal to it.
from letter_tui.core.reference import reference_step as reference_step

OUTPUTS = ("sigmoid", "softmax")
INITS = ("tutorial", "scaled")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@dataclass
class Network:
    W1: np.ndarray  # (inputs, hidden)
    b1: np.ndarray  # (1, hidden)
    W2: np.ndarray  # (hidden, outputs)
    b2: np.ndarray  # (1, outputs)
    output: str = "sigmoid"  # or "softmax": outputs that sum to one

    @classmethod
    def create(
        cls,
        n_inputs: int,
        n_hidden: int,
        n_outputs: int,
        seed: int = 42,
        *,
        init: str = "tutorial",
        output: str = "sigmoid",
    ) -> Network:
        """Weights drawn as the tutorial draws them (`np.random.seed(seed)`, W1 then W2).

        init "tutorial" scales them by 0.01; "scaled" by 1/sqrt(fan-in), which keeps a wide
        layer's sums of order one so it starts learning at once.
        """
        if init not in INITS:
            raise ValueError(f"init must be one of {', '.join(INITS)}, not {init!r}")
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)}, not {output!r}")
        rng = np.random.RandomState(seed)
        scale1, scale2 = (0.01, 0.01) if init == "tutorial" else (n_inputs**-0.5, n_hidden**-0.5)
        W1 = rng.randn(n_inputs, n_hidden) * scale1
        W2 = rng.randn(n_hidden, n_outputs) * scale2
        return cls(W1, np.zeros((1, n_hidden)), W2, np.zeros((1, n_outputs)), output)

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
        return Network(self.W1.copy(), self.b1.copy(), self.W2.copy(), self.b2.copy(), self.output)

    def forward(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Hidden and output activations for a batch X of shape (n, inputs)."""
        # exp(large) is inf and the sigmoid of it exactly 0: nothing to warn about.
        with np.errstate(over="ignore", invalid="ignore"):
            A1 = sigmoid(X @ self.W1 + self.b1)
            Z2 = A1 @ self.W2 + self.b2
            return A1, softmax(Z2) if self.output == "softmax" else sigmoid(Z2)

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

        Sigmoid outputs are each in [0, 1] and are not normalised to sum to one; softmax
        outputs sum to one.
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
    loss: float  # the loss over that epoch's data, each batch measured before its update
    epochs_done: int  # epochs completed so far
    logged: bool = True  # a log line (epoch % report_every == 0), not only a curve sample


def _batch(XT: np.ndarray, YT: np.ndarray, labels: np.ndarray, hid: int, lr: float) -> tuple:
    """Buffers for one batch of k examples, allocated once: no temporaries in the loop.

    Everything is stored transposed, one row per unit and one column per example, so each
    unit's values are contiguous (elementwise work runs at full speed, softmax sums run
    across rows) and the bias rides along as a row of ones. A plain tuple, unpacked by the
    loop: cheaper than attribute look-ups on the tutorial's tiny batch, where Python
    overhead is most of an epoch's time.
    """
    out, k = YT.shape
    A1a = np.ones((hid + 1, k))  # hidden activations plus a row of ones
    return (
        XT,
        XT.T,
        YT,
        labels,
        A1a,
        A1a[:hid],  # A1
        A1a.T,
        np.empty((hid, k)),  # Z1
        np.empty((out, k)),  # A2
        np.empty((out, k)),  # dZ2
        np.empty((hid, k)),  # dA1
        np.empty((hid, k)),  # dZ1
        np.empty((1, k)),  # a per-example row for the softmax
        np.arange(k),
        lr / k,  # folded into dZ2: every gradient is linear in it
    )


class _Quiet:
    """np.errstate(over="ignore", invalid="ignore"), switched off around a generator's yields."""

    def __init__(self) -> None:
        self._state: np.errstate | None = None

    def on(self) -> None:
        if self._state is None:
            self._state = np.errstate(over="ignore", invalid="ignore")
            self._state.__enter__()

    def off(self) -> None:
        if self._state is not None:
            self._state.__exit__(None, None, None)
            self._state = None


class Trainer:
    """Gradient descent on `network`, fast: buffers allocated once, constants folded.

    Internally the weights are stored transposed and negated, with the bias as an extra
    column (inputs get a row of ones), so one matmul gives -Z and sigmoid is
    reciprocal(1 + exp(-Z)) with no negation; negation is exact in floating point, so the
    arithmetic is the tutorial's.

    `batch_size` 0 (or >= the rows) is the tutorial's full batch; smaller batches are cut
    from the rows reshuffled every epoch. With `noise` > 0, the rows from `noisy_from` on are
    taken as clean letters and redrawn with pixels flipped with probability `noise` at the
    start of every epoch. Shuffles and noise come from `rng`; all state lives here, so
    training in several `run` calls gives exactly the numbers of one call.
    """

    def __init__(
        self,
        network: Network,
        X: np.ndarray,
        Y: np.ndarray,
        learning_rate: float = 0.1,
        *,
        batch_size: int = 0,
        noise: float = 0.0,
        noisy_from: int | None = None,
        rng: np.random.Generator | None = None,
    ):
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
        self.softmax = network.output == "softmax"
        self.epochs_done = 0
        self._rng = rng if rng is not None else np.random.default_rng(0)
        m, n_in = X.shape
        hid = network.n_hidden
        self._m = m
        self._XT = np.ones((n_in + 1, m))  # examples as columns, plus a row of ones
        self._XT[:n_in] = X.T
        self._YT = np.ascontiguousarray(Y.T)
        self._labels = np.argmax(Y, axis=1)
        self._noise = float(noise) if noisy_from is not None and noisy_from < m else 0.0
        if self._noise > 0:
            # Drawn example by example, pixel by pixel, as noise.flip draws a (rows, pixels)
            # array, then written into the transposed layout.
            self._noisy = self._XT[:n_in, noisy_from:].T
            self._clean = self._noisy > 0.5
            self._draws = np.empty(self._clean.shape)
            self._flips = np.empty(self._clean.shape, dtype=bool)
        self._NW1 = -np.ascontiguousarray(np.hstack([network.W1.T, network.b1.T]))  # (hid, in+1)
        self._NW2 = -np.ascontiguousarray(np.hstack([network.W2.T, network.b2.T]))  # (out, hid+1)
        self._dW1 = np.empty_like(self._NW1)
        self._dW2 = np.empty_like(self._NW2)
        size = m if batch_size <= 0 or batch_size >= m else int(batch_size)
        self.batch_size = size
        self._shuffle = size < m
        if self._shuffle:
            # Each epoch gathers the examples once in a new order; batches are views of it.
            self._XsT, self._YsT = np.empty_like(self._XT), np.empty_like(self._YT)
            self._Ls = np.empty_like(self._labels)
            sources = self._XsT, self._YsT, self._Ls
        else:
            sources = self._XT, self._YT, self._labels
        self._batches = [
            _batch(
                sources[0][:, start : start + size],
                sources[1][:, start : start + size],
                sources[2][start : start + size],
                hid,
                self.learning_rate,
            )
            for start in range(0, m, size)
        ]

    def _new_epoch(self) -> None:
        if self._noise > 0:
            self._rng.random(out=self._draws)
            np.less(self._draws, self._noise, out=self._flips)
            np.not_equal(self._flips, self._clean, out=self._flips)
            np.copyto(self._noisy, self._flips)
        if self._shuffle:
            order = self._rng.permutation(self._m)
            np.take(self._XT, order, axis=1, out=self._XsT)
            np.take(self._YT, order, axis=1, out=self._YsT)
            np.take(self._labels, order, out=self._Ls)

    def run(
        self,
        epochs: int,
        report_every: int = 1000,
        stop: threading.Event | None = None,
        sample_every: int = 0,
    ) -> Iterator[Progress]:
        """Train `epochs` epochs, yielding Progress at every epoch divisible by `report_every`
        (logged=True) or by `sample_every` (0: never), counting from the first epoch ever
        trained, as the tutorial does. The loss is computed only at those epochs.

        Stops cleanly between epochs when `stop` is set. The network's weights are written
        back at each log line and when the run ends (or is stopped).
        """
        exp, add, rec, mul, sub, dot = (
            np.exp,
            np.add,
            np.reciprocal,
            np.multiply,
            np.subtract,
            np.dot,
        )
        minimum, divide = np.minimum.reduce, np.divide
        NW1, NW2, dW1, dW2 = self._NW1, self._NW2, self._dW1, self._dW2
        NW2hT = NW2[:, :-1].T  # (hid, out)
        batches, softmax = self._batches, self.softmax
        fresh = self._noise > 0 or self._shuffle
        every = max(1, int(report_every))
        sample = max(0, int(sample_every))
        start = self.epochs_done
        # exp overflowing to inf is harmless here (the sigmoid of it is exactly 0), and weights
        # that blew up show as a loss that is not a number, which the caller reports: no
        # warnings printed over an app's screen. Set per stretch between yields so that the
        # caller's own error state is untouched.
        quiet = _Quiet()
        quiet.on()
        try:
            for epoch in range(start, start + epochs):
                if stop is not None and stop.is_set():
                    return
                if fresh:
                    self._new_epoch()
                measure = epoch % every == 0 or (sample and epoch % sample == 0)
                total = 0.0
                for (
                    X,
                    XT,
                    Y,
                    labels,
                    A1a,
                    A1,
                    A1aT,
                    Z1,
                    A2,
                    dZ2,
                    dA1,
                    dZ1,
                    row,
                    cols,
                    step,
                ) in batches:
                    # Outputs are passed positionally: out= as a keyword costs more than
                    # the arithmetic on the tutorial's tiny arrays.
                    # Forward: A1 = sigmoid(W1 X + b1), with the weights stored negated.
                    dot(NW1, X, Z1)
                    exp(Z1, Z1)
                    add(Z1, 1.0, Z1)
                    rec(Z1, A1)
                    dot(NW2, A1a, A2)  # -Z2
                    if softmax:
                        # exp(Z2 - max Z2) / sum: -Z2 + min(-Z2) is Z2 - max Z2.
                        minimum(A2, axis=0, keepdims=True, out=row)
                        sub(row, A2, A2)
                        exp(A2, A2)
                        add.reduce(A2, axis=0, keepdims=True, out=row)
                        divide(A2, row, A2)
                    else:
                        exp(A2, A2)
                        add(A2, 1.0, A2)
                        rec(A2, A2)
                    sub(A2, Y, dZ2)
                    if measure:
                        if softmax:
                            right = A2[labels, cols]
                            total -= float(np.sum(np.log(np.maximum(right, 1e-300))))
                        else:
                            total += float(np.sum(np.square(dZ2)))
                    mul(dZ2, step, dZ2)
                    # W2 -= lr * dW2 (stored negated, so add); dW2 and db2 in one product.
                    dot(dZ2, A1aT, dW2)
                    # dA1 = W2 dZ2, negated by the stored weights.
                    dot(NW2hT, dZ2, dA1)
                    add(NW2, dW2, NW2)
                    # dZ1 = dA1 * A1 * (1 - A1), still negated.
                    sub(1.0, A1, dZ1)
                    mul(A1, dZ1, dZ1)
                    mul(dA1, dZ1, dZ1)
                    dot(dZ1, XT, dW1)
                    sub(NW1, dW1, NW1)
                self.epochs_done = epoch + 1
                if measure:
                    # A sum divided once, as np.mean does: the tutorial's number, bit for bit.
                    loss = total / (self._m if softmax else self._m * self.network.n_outputs)
                    logged = epoch % every == 0
                    if logged:  # curve samples skip it: the caller gets weights at the end
                        self.sync()
                    quiet.off()
                    yield Progress(epoch, loss, self.epochs_done, logged)
                    quiet.on()
        finally:
            quiet.off()
            self.sync()

    def sync(self) -> None:
        """Write the current weights back to the network (un-negated, bias split off)."""
        net = self.network
        n_in, n_hid = net.n_inputs, net.n_hidden
        np.negative(self._NW1[:, :n_in].T, out=net.W1)
        np.negative(self._NW1[:, n_in:].T, out=net.b1)
        np.negative(self._NW2[:, :n_hid].T, out=net.W2)
        np.negative(self._NW2[:, n_hid:].T, out=net.b2)
