"""What the inside view draws, computed from a network without Textual (testable alone)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from letter_tui.core.network import Network


@dataclass(frozen=True, eq=False)
class UnitsData:
    """A network's weights as the unit maps read them. eq=False: compared by identity, so a
    reactive holding one never compares arrays."""

    W1: np.ndarray  # (inputs, hidden)
    b1: np.ndarray  # (hidden,)
    W2: np.ndarray  # (hidden, outputs)
    labels: tuple[str, ...]
    rows: int
    cols: int

    @classmethod
    def of(cls, network: Network, labels: Sequence[str], rows: int, cols: int) -> UnitsData:
        return cls(network.W1, network.b1.reshape(-1), network.W2, tuple(labels), rows, cols)

    @property
    def hidden(self) -> int:
        return int(self.W1.shape[1])

    @property
    def limit(self) -> float:
        """One colour scale for every unit, so maps can be compared: the largest weight."""
        top = float(np.max(np.abs(self.W1))) if self.W1.size else 0.0
        return top if np.isfinite(top) and top > 0 else 1.0

    def weights(self, unit: int) -> tuple[float, ...]:
        return tuple(float(v) for v in self.W1[:, unit])

    def bias(self, unit: int) -> float:
        return float(self.b1[unit])

    def votes(self, unit: int) -> tuple[float, ...]:
        return tuple(float(v) for v in self.W2[unit])


@dataclass(frozen=True)
class ForwardPass:
    """One bitmap through the network: what each layer computes."""

    bitmap: tuple[int, ...]
    hidden: tuple[float, ...]  # sigmoid activations, 0 to 1
    outputs: tuple[float, ...]  # sigmoid (independent) or softmax (summing to 1)

    @property
    def best(self) -> int:
        return int(np.argmax(self.outputs))


def forward_pass(network: Network, bitmap: Sequence[int]) -> ForwardPass:
    x = np.asarray(bitmap, dtype=np.float64).reshape(1, -1)
    hidden, outputs = network.forward(x)
    return ForwardPass(
        tuple(int(v) for v in bitmap),
        tuple(float(v) for v in hidden[0]),
        tuple(float(v) for v in outputs[0]),
    )
