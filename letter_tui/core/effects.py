"""Why the network reads a grid as it does, and how few flips change its mind.

With a handful of binary inputs the honest answer is cheap and exact: flip each pixel alone
and see what happens to the guessed letter's output (one batched forward pass over the
flipped copies). The same machinery finds the fewest flips that make the network read
another letter, to set against the ideal observer (the nearest letter by Hamming distance),
which no flip pattern can fool with fewer than half the distance to the nearest other letter.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.evaluate import hamming_distances
from letter_tui.core.network import Network

EXHAUSTIVE_FLIPS = 3  # every set of up to this many flips is tried: proven minimum
EXHAUSTIVE_BUDGET = 200_000  # most flipped copies tried at one size (C(30,3) is 4060)
BEAM_WIDTH = 64  # flip sets kept per step of the search beyond


@dataclass(frozen=True)
class Explanation:
    """What pushed the network to its guess on one grid."""

    guess: int  # index of the largest output
    outputs: tuple[float, ...]  # every output on the grid as it is
    effects: tuple[float, ...]  # per pixel (row-major): guess's output if flipped, minus now
    contributions: tuple[float, ...]  # per hidden unit: activation x its weight to the guess

    @property
    def output(self) -> float:
        return self.outputs[self.guess]


def _flipped(bitmap: np.ndarray, sets: np.ndarray) -> np.ndarray:
    """One copy of `bitmap` per row of `sets` (pixel indices), those pixels flipped."""
    X = np.repeat(bitmap[None, :], len(sets), axis=0)
    if sets.size:
        rows = np.repeat(np.arange(len(sets)), sets.shape[1])
        cols = sets.reshape(-1)
        X[rows, cols] = 1.0 - X[rows, cols]
    return X


def explain(network: Network, bitmap) -> Explanation:
    """Pixel effects and hidden contributions for one grid (row-major 0/1 pixels)."""
    x = np.asarray(bitmap, dtype=np.float64).reshape(-1)
    A1, A2 = network.forward(x[None, :])
    guess = int(np.argmax(A2[0]))
    # All single flips in one pass: row i is the grid with pixel i flipped.
    _, flipped = network.forward(np.abs(x[None, :] - np.eye(x.size)))
    effects = flipped[:, guess] - A2[0, guess]
    # The hidden unit's share of the guess's net input (the logit for softmax, the sum
    # before the sigmoid otherwise): what the unit adds to the guess, bias aside.
    contributions = A1[0] * network.W2[:, guess]
    return Explanation(
        guess,
        tuple(float(v) for v in A2[0]),
        tuple(float(v) for v in effects),
        tuple(float(v) for v in contributions),
    )


# --- The ideal observer ---------------------------------------------------------------------


def ideal_reading(bitmap, alphabet: Alphabet) -> tuple[int, ...]:
    """The letters nearest to `bitmap` by Hamming distance (more than one: a tie)."""
    d = hamming_distances(np.asarray(bitmap, dtype=np.float64).reshape(1, -1), alphabet)[0]
    return tuple(int(i) for i in np.flatnonzero(d == d.min()))


def ideal_minimum(alphabet: Alphabet, letter: int) -> int:
    """Fewest flips after which the ideal observer no longer reads `letter` for sure:
    half the Hamming distance to the nearest other letter, rounded up (at that many flips
    toward it the two are tied or the other is nearer). 0 if the alphabet has one letter
    or a duplicate of it."""
    if len(alphabet) < 2:
        return 0
    d = hamming_distances(alphabet.matrix()[letter], alphabet)[0]
    d = np.delete(d, letter)
    return math.ceil(int(d.min()) / 2)


# --- The network's minimum ------------------------------------------------------------------


@dataclass(frozen=True)
class Fooling:
    """The fewest flips found that make the network read something other than `letter`."""

    letter: int
    pixels: tuple[int, ...]  # flipped pixel indices, row-major, ascending; () if none found
    reads: int  # what the network reads with them flipped
    proven: bool  # True: no smaller set of flips changes its reading (searched exhaustively)
    searched_up_to: int  # every set of up to this many flips was tried
    found: bool = True  # False: no flips (up to all the pixels) fooled the search

    @property
    def flips(self) -> int:
        return len(self.pixels)


def _margin(outputs: np.ndarray, letter: int) -> np.ndarray:
    """The letter's output minus the largest other: below zero, the network reads another."""
    others = outputs.copy()
    others[:, letter] = -np.inf
    return outputs[:, letter] - others.max(axis=1)


def _pick(sets: np.ndarray, X: np.ndarray, outputs: np.ndarray, letter: int, alphabet):
    """Among sets that fool the network, prefer one the ideal observer still reads as the
    letter (the fooling that counts), then the most confident wrong reading."""
    margin = _margin(outputs, letter)
    fooled = np.flatnonzero(margin < 0)
    if alphabet is not None:
        d = hamming_distances(X[fooled], alphabet)
        mine = d[:, letter]
        d[:, letter] = np.iinfo(d.dtype).max
        fair = mine < d.min(axis=1)
        if fair.any():
            fooled = fooled[fair]
    best = fooled[np.argmin(margin[fooled])]
    return tuple(int(p) for p in sets[best]), int(np.argmax(outputs[best]))


def minimum_flips(
    network: Network,
    bitmap,
    letter: int,
    alphabet: Alphabet | None = None,
    *,
    exhaustive: int = EXHAUSTIVE_FLIPS,
    budget: int = EXHAUSTIVE_BUDGET,
    beam: int = BEAM_WIDTH,
) -> Fooling:
    """The fewest pixel flips that make the network read something other than `letter`.

    Exact up to `exhaustive` flips: every set of that size is tried in one batched forward
    pass (sizes whose count exceeds `budget` are left to the search). Beyond, a beam search
    keeps the `beam` sets that bring the letter's output closest to the runner-up's and adds
    one flip at a time: what it finds is an upper bound, not proven. With `alphabet`, among
    equally small sets one the ideal observer still reads as `letter` is preferred.
    """
    x = np.asarray(bitmap, dtype=np.float64).reshape(-1)
    n = x.size
    _, A2 = network.forward(x[None, :])
    if np.argmax(A2[0]) != letter:
        return Fooling(letter, (), int(np.argmax(A2[0])), True, 0)
    proven_to = 0
    frontier = np.zeros((1, 0), dtype=np.int64)
    for k in range(1, min(exhaustive, n) + 1):
        if math.comb(n, k) > budget:
            break
        sets = np.array(list(itertools.combinations(range(n), k)), dtype=np.int64)
        X = _flipped(x, sets)
        _, out = network.forward(X)
        if (np.argmax(out, axis=1) != letter).any():
            pixels, reads = _pick(sets, X, out, letter, alphabet)
            return Fooling(letter, pixels, reads, True, k)
        proven_to = k
        order = np.argsort(_margin(out, letter), kind="stable")[:beam]
        frontier = sets[order]
    # Beam search from the most promising sets of the largest size tried.
    for _ in range(frontier.shape[1] + 1, n + 1):
        grown = [tuple(sorted((*s, p))) for s in frontier.tolist() for p in range(n) if p not in s]
        sets = np.array(sorted(set(grown)), dtype=np.int64)
        X = _flipped(x, sets)
        _, out = network.forward(X)
        if (np.argmax(out, axis=1) != letter).any():
            pixels, reads = _pick(sets, X, out, letter, alphabet)
            return Fooling(letter, pixels, reads, False, proven_to)
        frontier = sets[np.argsort(_margin(out, letter), kind="stable")[:beam]]
    return Fooling(letter, (), letter, False, proven_to, found=False)


def flipped_grid(bitmap, pixels) -> tuple[int, ...]:
    """`bitmap` (row-major 0/1) with `pixels` flipped."""
    grid = [int(v) for v in bitmap]
    for p in pixels:
        grid[p] = 1 - grid[p]
    return tuple(grid)


# --- What the noise did ---------------------------------------------------------------------


@dataclass(frozen=True)
class NoiseMargin:
    """How far a noisy grid is from its true letter and from the nearest other letter."""

    to_truth: int  # Hamming distance from the grid to the true letter
    others: tuple[int, ...]  # the nearest letters other than the true one (ties)
    to_other: int  # Hamming distance from the grid to them
    to_tie: int  # fewest further flips after which one of them is at least as near as the truth


def noise_margin(bitmap, alphabet: Alphabet, letter: int) -> NoiseMargin | None:
    """What separates `bitmap` (a noisy `letter`) from the nearest other letter; None with a
    one-letter alphabet. Flipping a pixel where the truth and the other letter differ moves
    the grid one nearer the other and one further from the truth, so the gap between the two
    distances closes by two a flip: half of it, rounded up, ties them (0 if already tied)."""
    if len(alphabet) < 2:
        return None
    d = hamming_distances(np.asarray(bitmap, dtype=np.float64).reshape(1, -1), alphabet)[0]
    to_truth = int(d[letter])
    rest = np.delete(np.arange(len(alphabet)), letter)
    to_other = int(d[rest].min())
    others = tuple(int(i) for i in rest[d[rest] == to_other])
    return NoiseMargin(to_truth, others, to_other, max(0, math.ceil((to_other - to_truth) / 2)))
