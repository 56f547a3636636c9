"""The tutorial's network, written plainly with the tutorial's own names.

This is the code the lesson shows, step by step: `Z1`, `A1`, `Z2`, `A2`, `dZ2`, `dW2`, `db2`,
`dA1`, `dZ1`, `dW1`, `db1`, `sigmoid` and `sigmoid_derivative` as the seed writes them. The
tutorial keeps its weights in globals and changes them in place; here they are passed in and
the new ones handed back, so every value of an epoch can be shown after it ran. The
functions the lesson shows are written as the tutorial writes them, without type hints.

`network.Trainer` is the same arithmetic tuned for speed; tests/test_reference.py proves the
two equal to 1e-12 over many epochs and settings. Only the tutorial's own network is written
here: sigmoid outputs, the whole batch per update, plain gradient descent.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from letter_tui.core.alphabet import Alphabet


# Step 1: the dataset
def prepare_dataset(alphabet: Alphabet):
    # A row of 0s and 1s per letter: its grid, row by row
    X = alphabet.matrix()
    # One-hot labels: a 1 in the letter's own column
    y = alphabet.targets()
    return X, y


# Step 2: the architecture and the initial weights
def initial_weights(sizes, seed=42):
    input_size, hidden_size, output_size = sizes
    # like np.random.seed(seed), but not NumPy's global one
    rng = np.random.RandomState(seed)
    W1 = rng.randn(input_size, hidden_size) * 0.01
    b1 = np.zeros((1, hidden_size))
    W2 = rng.randn(hidden_size, output_size) * 0.01
    b2 = np.zeros((1, output_size))
    return W1, b1, W2, b2


# Step 3: the activation functions
def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_derivative(x):
    # x is the activation A = sigmoid(Z), not Z:
    # the slope of the sigmoid at Z is A * (1 - A)
    return x * (1 - x)


# Step 4: forward propagation
def forward(X, W1, b1, W2, b2):
    # Hidden layer
    Z1 = np.dot(X, W1) + b1
    A1 = sigmoid(Z1)
    # Output layer
    Z2 = np.dot(A1, W2) + b2
    A2 = sigmoid(Z2)
    return Z1, A1, Z2, A2


# Step 5: backpropagation
def backward(X, y, W2, A1, A2):
    m = X.shape[0]
    # Output layer gradients
    dZ2 = A2 - y
    dW2 = np.dot(A1.T, dZ2) / m
    db2 = np.sum(dZ2, axis=0, keepdims=True) / m
    # Hidden layer gradients
    dA1 = np.dot(dZ2, W2.T)
    dZ1 = dA1 * sigmoid_derivative(A1)
    dW1 = np.dot(X.T, dZ1) / m
    db1 = np.sum(dZ1, axis=0, keepdims=True) / m
    return dZ2, dW2, db2, dA1, dZ1, dW1, db1


def update(weights, gradients, learning_rate=0.1):
    W1, b1, W2, b2 = weights
    dW1, db1, dW2, db2 = gradients
    # Update weights and biases (as new arrays, so
    # that the lesson can show the old ones too)
    W1 = W1 - learning_rate * dW1
    b1 = b1 - learning_rate * db1
    W2 = W2 - learning_rate * dW2
    b2 = b2 - learning_rate * db2
    return W1, b1, W2, b2


@dataclass(frozen=True, eq=False)
class Step:
    """Every value one epoch computes, from the weights it started with to the new ones."""

    X: np.ndarray
    y: np.ndarray
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray
    Z1: np.ndarray
    A1: np.ndarray
    Z2: np.ndarray
    A2: np.ndarray
    loss: float  # the tutorial's printed loss: the mean squared error before the update
    dZ2: np.ndarray
    dW2: np.ndarray
    db2: np.ndarray
    dA1: np.ndarray
    dZ1: np.ndarray
    dW1: np.ndarray
    db1: np.ndarray
    new_W1: np.ndarray
    new_b1: np.ndarray
    new_W2: np.ndarray
    new_b2: np.ndarray
    learning_rate: float

    @property
    def new_weights(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        return self.new_W1, self.new_b1, self.new_W2, self.new_b2


def reference_step(X, y, W1, b1, W2, b2, learning_rate: float = 0.1) -> Step:
    """One epoch of the tutorial: forward, loss, backward and update, every value kept."""
    # exp(large) is inf and the sigmoid of it exactly 0, as in network.Trainer: no warning.
    with np.errstate(over="ignore", invalid="ignore"):
        Z1, A1, Z2, A2 = forward(X, W1, b1, W2, b2)
        loss = float(np.mean(np.square(y - A2)))
        dZ2, dW2, db2, dA1, dZ1, dW1, db1 = backward(X, y, W2, A1, A2)
        new = update((W1, b1, W2, b2), (dW1, db1, dW2, db2), learning_rate)
    return Step(
        X, y, W1, b1, W2, b2, Z1, A1, Z2, A2, loss,
        dZ2, dW2, db2, dA1, dZ1, dW1, db1, *new, float(learning_rate),
    )  # fmt: skip


# Step 6: training
def train(X, y, weights, epochs, learning_rate, start, log):
    W1, b1, W2, b2 = weights
    for epoch in range(start, start + epochs):
        step = reference_step(X, y, W1, b1, W2, b2, learning_rate)
        W1, b1, W2, b2 = step.new_weights
        if epoch % 1000 == 0:
            # np.mean(np.square(y - A2)), measured on A2
            # from before this epoch's update
            loss = step.loss
            log(f"Epoch {epoch}, Loss: {loss}")
    return W1, b1, W2, b2


# Step 7: predictions
def predict(X, W1, b1, W2, b2):
    _, _, _, A2 = forward(X, W1, b1, W2, b2)
    return np.argmax(A2, axis=1)
