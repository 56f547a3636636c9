"""How well letters can be read: the network, the ideal observer, and chance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.noise import flip


def hamming_distances(X: np.ndarray, alphabet: Alphabet) -> np.ndarray:
    """Pixels differing between each row of X and each letter: shape (len(X), letters)."""
    X = np.atleast_2d(np.asarray(X, dtype=np.float64))
    letters = alphabet.matrix()
    # For 0/1 vectors |x - l| summed = x.1 + l.1 - 2 x.l, one matrix product for the batch.
    return np.rint(X.sum(1, keepdims=True) + letters.sum(1) - 2 * X @ letters.T).astype(np.int64)


def ideal_credit(X: np.ndarray, alphabet: Alphabet, truth: np.ndarray) -> np.ndarray:
    """The ideal observer's expected score on each row of X.

    For independent flips with p < 0.5 the most likely letter is the nearest by Hamming
    distance; among k equally near letters it guesses evenly, so it is right with chance 1/k
    when the truth is among them.
    """
    d = hamming_distances(X, alphabet)
    nearest = d == d.min(axis=1, keepdims=True)
    ties = nearest.sum(axis=1)
    hit = nearest[np.arange(len(d)), np.asarray(truth)]
    return hit / ties


def ideal_guess(bitmap: np.ndarray, alphabet: Alphabet, rng: np.random.Generator) -> int:
    """One guess of the ideal observer: the nearest letter, ties broken at random."""
    d = hamming_distances(bitmap, alphabet)[0]
    candidates = np.flatnonzero(d == d.min())
    return int(rng.choice(candidates))


class Classifier(Protocol):
    def predict(self, X: np.ndarray) -> np.ndarray | int: ...


NOISE_LEVELS: tuple[float, ...] = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
SAMPLES = 10_000  # noisy letters per noise level


def noisy_letters(
    alphabet: Alphabet, p: float, samples: int, seed: int | Sequence[int]
) -> tuple[np.ndarray, np.ndarray]:
    """`samples` fresh noisy letters and their true indices, every letter equally often
    (letter i % n for sample i), each pixel flipped with probability p, seeded."""
    truth = np.arange(samples) % len(alphabet)
    rng = np.random.default_rng(seed)
    return flip(alphabet.matrix()[truth], p, rng), truth


def level_seed(seed: int, p: float) -> tuple[int, int]:
    """The seed of the noisy letters measured at flip probability p: the same letters for the
    noise curve and the confusion matrix, so the two agree on the network's accuracy."""
    return seed, round(p * 1_000_000)


@dataclass(frozen=True)
class NoisePoint:
    p: float  # flip probability
    network: float  # fraction of the noisy letters the network reads right
    ideal: float  # the ideal observer's expected fraction on the same letters
    chance: float  # 1 / letters


@dataclass(frozen=True)
class NoiseCurve:
    points: tuple[NoisePoint, ...]
    samples: int  # noisy letters per level
    seed: int

    def at(self, p: float) -> NoisePoint:
        return min(self.points, key=lambda point: abs(point.p - p))


def noise_curve(
    network: Classifier,
    alphabet: Alphabet,
    levels: Sequence[float] = NOISE_LEVELS,
    samples: int = SAMPLES,
    seed: int = 0,
) -> NoiseCurve:
    """Accuracy against noise: the network, the ideal observer and chance at each flip
    probability, each level on its own fresh noisy letters (seeded by `seed` and p, as the
    confusion matrix at that p is), the network and the ideal observer on the very same letters."""
    points = []
    for p in levels:
        X, truth = noisy_letters(alphabet, p, samples, level_seed(seed, p))
        guess = np.asarray(network.predict(X))
        points.append(
            NoisePoint(
                p=float(p),
                network=float(np.mean(guess == truth)),
                ideal=float(np.mean(ideal_credit(X, alphabet, truth))),
                chance=1 / len(alphabet),
            )
        )
    return NoiseCurve(tuple(points), samples, seed)


@dataclass(frozen=True)
class Confusion:
    """How often each letter (row) was read as each letter (column) at flip probability p."""

    labels: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]  # counts[truth][guess]
    p: float

    @property
    def accuracy(self) -> float:
        total = sum(map(sum, self.counts))
        right = sum(row[i] for i, row in enumerate(self.counts))
        return right / total if total else 0.0

    def mix_ups(self, limit: int = 10) -> tuple[tuple[str, str, int], ...]:
        """The most frequent mistakes as (truth, read as, count), most frequent first."""
        wrong = [
            (-count, t, g)
            for t, row in enumerate(self.counts)
            for g, count in enumerate(row)
            if g != t and count
        ]
        wrong.sort()
        return tuple((self.labels[t], self.labels[g], -c) for c, t, g in wrong[:limit])


def confusion(
    network: Classifier, alphabet: Alphabet, p: float, samples: int = SAMPLES, seed: int = 0
) -> Confusion:
    """The network's confusion matrix on `samples` fresh noisy letters at flip probability p."""
    X, truth = noisy_letters(alphabet, p, samples, level_seed(seed, p))
    guess = np.asarray(network.predict(X))
    n = len(alphabet)
    counts = np.bincount(truth * n + guess, minlength=n * n).reshape(n, n)
    return Confusion(alphabet.labels, tuple(tuple(int(c) for c in row) for row in counts), p)


def format_noise_table(curve: NoiseCurve) -> list[str]:
    """The accuracy-against-noise table as printed by `letter-tui train --headless`."""
    lines = [
        f"Accuracy against noise ({curve.samples} fresh noisy letters per flip probability):",
        "  flip p   network     ideal    chance",
    ]
    for pt in curve.points:
        lines.append(f"  {pt.p:6.2f}  {pt.network:7.1%}  {pt.ideal:8.1%}  {pt.chance:8.1%}")
    return lines
