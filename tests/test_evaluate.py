"""The ideal observer, the accuracy-against-noise curve and the confusion matrix, on small
cases worked out by hand."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.evaluate import (
    NOISE_LEVELS,
    Confusion,
    confusion,
    format_noise_table,
    hamming_distances,
    ideal_credit,
    ideal_guess,
    noise_curve,
    noisy_letters,
)

# Two 3x3 letters that differ in every pixel, and a third one pixel away from the ring.
RING = (1, 1, 1, 1, 0, 1, 1, 1, 1)
DOT = (0, 0, 0, 0, 1, 0, 0, 0, 0)
U = (1, 0, 1, 1, 0, 1, 1, 1, 1)
PAIR = Alphabet("pair", 3, 3, ("O", "."), (RING, DOT))
TRIO = Alphabet("trio", 3, 3, ("O", ".", "U"), (RING, DOT, U))


class Always:
    """A classifier that always answers the same letter."""

    def __init__(self, index: int) -> None:
        self.index = index

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.full(len(X), self.index)


class Nearest:
    """Nearest letter, ties to the lowest index: the ideal observer without the coin."""

    def __init__(self, alphabet: Alphabet) -> None:
        self.alphabet = alphabet

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.argmin(hamming_distances(X, self.alphabet), axis=1)


def test_hamming_distances_by_hand() -> None:
    x = np.array([[1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0]])
    assert hamming_distances(x, TRIO).tolist() == [[1, 8, 2], [8, 1, 7]]


def test_ideal_credit_without_ties() -> None:
    # O and U differ only at pixel 1. Row 0 is O with pixel 8 off: 1 from O, 2 from U.
    # Row 1 is U with pixel 8 off: 2 from O, 1 from U.
    x = np.array([[1, 1, 1, 1, 0, 1, 1, 1, 0], [1, 0, 1, 1, 0, 1, 1, 1, 0]])
    assert hamming_distances(x, TRIO).tolist() == [[1, 8, 2], [2, 7, 1]]
    assert ideal_credit(x, TRIO, np.array([0, 2])).tolist() == [1.0, 1.0]
    assert ideal_credit(x, TRIO, np.array([2, 0])).tolist() == [0.0, 0.0]


def test_ideal_credit_splits_ties_evenly() -> None:
    a = (1, 1, 0, 0, 0, 0, 0, 0, 0)
    b = (0, 0, 0, 0, 0, 0, 0, 1, 1)
    c = (1, 0, 0, 0, 0, 0, 0, 0, 1)
    tie = Alphabet("tie", 3, 3, ("a", "b", "c"), (a, b, c))
    x = np.array([[1, 0, 0, 0, 0, 0, 0, 0, 0]])  # 1 from a, 3 from b, 1 from c
    assert hamming_distances(x, tie).tolist() == [[1, 3, 1]]
    assert ideal_credit(x, tie, np.array([0])).tolist() == [0.5]
    assert ideal_credit(x, tie, np.array([2])).tolist() == [0.5]
    assert ideal_credit(x, tie, np.array([1])).tolist() == [0.0]
    # Three-way tie: the all-off grid is 2 from each of a, b and c.
    zero = np.zeros((1, 9))
    assert ideal_credit(zero, tie, np.array([1])).tolist() == [pytest.approx(1 / 3)]
    guesses = {ideal_guess(x[0], tie, np.random.default_rng(s)) for s in range(40)}
    assert guesses == {0, 2}


def test_noisy_letters_are_balanced_seeded_and_clean_at_p0() -> None:
    X, truth = noisy_letters(TRIO, 0.0, 7, seed=1)
    assert truth.tolist() == [0, 1, 2, 0, 1, 2, 0]
    np.testing.assert_array_equal(X, TRIO.matrix()[truth])
    A, _ = noisy_letters(TRIO, 0.2, 300, seed=4)
    B, _ = noisy_letters(TRIO, 0.2, 300, seed=4)
    C, _ = noisy_letters(TRIO, 0.2, 300, seed=5)
    assert np.array_equal(A, B) and not np.array_equal(A, C)
    assert set(np.unique(A)) <= {0.0, 1.0}


def test_noise_curve_of_a_constant_guess_is_chance() -> None:
    curve = noise_curve(Always(1), TRIO, levels=(0.0, 0.1, 0.3), samples=300)
    assert [pt.p for pt in curve.points] == [0.0, 0.1, 0.3]
    # Every letter appears exactly 100 times, so always saying "." is right a third of the time.
    assert [pt.network for pt in curve.points] == [pytest.approx(1 / 3)] * 3
    assert [pt.chance for pt in curve.points] == [pytest.approx(1 / 3)] * 3
    assert curve.points[0].ideal == 1.0
    assert curve.samples == 300


def test_noise_curve_ideal_matches_the_binomial_by_hand() -> None:
    # O and . differ in all 9 pixels: the ideal observer is right when at most 4 flip.
    samples = 20_000
    curve = noise_curve(Nearest(PAIR), PAIR, levels=(0.1, 0.3), samples=samples, seed=3)
    for pt in curve.points:
        p = pt.p
        exact = sum(comb(9, k) * p**k * (1 - p) ** (9 - k) for k in range(5))
        se = np.sqrt(exact * (1 - exact) / samples)
        assert abs(pt.ideal - exact) < 4 * se
        # No ties with 9 pixels: the nearest-letter rule is the ideal observer, letter by letter.
        assert pt.network == pt.ideal


def test_noise_curve_defaults() -> None:
    curve = noise_curve(Nearest(TRIO), TRIO, samples=30)
    assert (
        tuple(pt.p for pt in curve.points) == NOISE_LEVELS == (0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
    )
    assert curve.at(0.1).p == 0.1
    assert curve.at(0.11).p == 0.1


def test_confusion_by_hand() -> None:
    result = confusion(Always(2), TRIO, 0.0, samples=9)
    assert result.labels == ("O", ".", "U")
    assert result.counts == ((0, 0, 3), (0, 0, 3), (0, 0, 3))
    assert result.accuracy == pytest.approx(1 / 3)
    assert result.mix_ups() == (("O", "U", 3), (".", "U", 3))
    assert result.mix_ups(limit=1) == (("O", "U", 3),)
    perfect = confusion(Nearest(TRIO), TRIO, 0.0, samples=6)
    assert perfect.counts == ((2, 0, 0), (0, 2, 0), (0, 0, 2))
    assert perfect.mix_ups() == ()


def test_confusion_shows_the_near_pair() -> None:
    # O and U are one pixel apart: at p=0.1 they are mixed up far more than with "."
    result = confusion(Nearest(TRIO), TRIO, 0.1, samples=3000, seed=2)
    assert sum(map(sum, result.counts)) == 3000
    ou = result.counts[0][2] + result.counts[2][0]
    dot = result.counts[0][1] + result.counts[1][0] + result.counts[1][2] + result.counts[2][1]
    assert ou > 100 and dot < ou / 10
    assert {result.mix_ups(2)[0][:2], result.mix_ups(2)[1][:2]} == {("O", "U"), ("U", "O")}


def test_confusion_is_plain_values() -> None:
    result = confusion(Always(0), TRIO, 0.1, samples=6)
    assert isinstance(result, Confusion)
    assert all(type(c) is int for row in result.counts for c in row)


def test_format_noise_table() -> None:
    curve = noise_curve(Always(0), TRIO, levels=(0.0, 0.25), samples=30)
    lines = format_noise_table(curve)
    assert lines[0] == "Accuracy against noise (30 fresh noisy letters per flip probability):"
    assert lines[1].split() == ["flip", "p", "network", "ideal", "chance"]
    assert lines[2].split() == ["0.00", "33.3%", "100.0%", "33.3%"]
    assert lines[3].split()[0] == "0.25"
