"""How well letters can be read: the network, the ideal observer, and chance."""

from __future__ import annotations

import numpy as np

from letter_tui.core.alphabet import Alphabet


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
