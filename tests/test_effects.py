"""Pixel effects, hidden contributions and the fewest flips, checked against plain loops."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from letter_tui.core.alphabet import Alphabet
from letter_tui.core.effects import (
    explain,
    flipped_grid,
    ideal_minimum,
    ideal_reading,
    minimum_flips,
)
from letter_tui.core.network import Network


def random_network(n_in: int, n_out: int, seed: int, output: str, hidden: int = 7) -> Network:
    rng = np.random.default_rng(seed)
    return Network(
        rng.normal(0, 2, (n_in, hidden)),
        rng.normal(0, 1, (1, hidden)),
        rng.normal(0, 2, (hidden, n_out)),
        rng.normal(0, 1, (1, n_out)),
        output,
    )


def sigmoid(z: float) -> float:
    return 1 / (1 + np.exp(-z))


def one_output(net: Network, bitmap: list[int], k: int) -> float:
    """Output k for one bitmap, written out unit by unit: no batching, no shared code."""
    hidden = [
        sigmoid(sum(bitmap[i] * net.W1[i, j] for i in range(len(bitmap))) + net.b1[0, j])
        for j in range(net.n_hidden)
    ]
    z = [
        sum(hidden[j] * net.W2[j, o] for j in range(net.n_hidden)) + net.b2[0, o]
        for o in range(net.n_outputs)
    ]
    if net.output == "softmax":
        e = [np.exp(v - max(z)) for v in z]
        return e[k] / sum(e)
    return sigmoid(z[k])


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("seed", range(4))
def test_effects_equal_single_flips_one_at_a_time(output: str, seed: int) -> None:
    net = random_network(30, 5, seed, output)
    bitmap = [int(v) for v in np.random.default_rng(100 + seed).integers(0, 2, 30)]
    why = explain(net, bitmap)
    outputs = [one_output(net, bitmap, k) for k in range(5)]
    assert why.guess == int(np.argmax(outputs))
    assert why.output == pytest.approx(outputs[why.guess], rel=1e-9, abs=1e-12)
    for i in range(30):
        flipped = list(bitmap)
        flipped[i] = 1 - flipped[i]
        expected = one_output(net, flipped, why.guess) - outputs[why.guess]
        assert why.effects[i] == pytest.approx(expected, rel=1e-7, abs=1e-12)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_contributions_are_activation_times_weight_and_sum_to_the_net_input(output: str) -> None:
    net = random_network(30, 4, 7, output)
    bitmap = [int(v) for v in np.random.default_rng(3).integers(0, 2, 30)]
    why = explain(net, bitmap)
    g = why.guess
    for j, c in enumerate(why.contributions):
        a = sigmoid(sum(bitmap[i] * net.W1[i, j] for i in range(30)) + net.b1[0, j])
        assert c == pytest.approx(a * net.W2[j, g], rel=1e-9, abs=1e-12)
    z = sum(why.contributions) + net.b2[0, g]
    if output == "sigmoid":
        assert sigmoid(z) == pytest.approx(why.output, rel=1e-9)


def small_alphabet(seed: int, letters: int = 4) -> Alphabet:
    """Distinct random 3x3 letters: 2^9 flip sets, few enough to try every one."""
    rng = np.random.default_rng(seed)
    seen: set[tuple[int, ...]] = set()
    while len(seen) < letters:
        seen.add(tuple(int(v) for v in rng.integers(0, 2, 9)))
    bitmaps = tuple(sorted(seen))
    return Alphabet("tiny", 3, 3, tuple("ABCDEFGH"[:letters]), bitmaps)


def brute_minimum(net: Network, bitmap, letter: int) -> int | None:
    for k in range(len(bitmap) + 1):
        for pixels in itertools.combinations(range(len(bitmap)), k):
            if int(np.argmax(net.predict_proba(list(flipped_grid(bitmap, pixels))))) != letter:
                return k
    return None


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("seed", range(6))
def test_minimum_flips_matches_brute_force(output: str, seed: int) -> None:
    alphabet = small_alphabet(seed)
    net = random_network(9, 4, seed, output, hidden=5)
    for letter in range(4):
        bitmap = alphabet.bitmaps[letter]
        truth = brute_minimum(net, bitmap, letter)
        reads_now = int(np.argmax(net.predict_proba(list(bitmap))))
        exact = minimum_flips(net, bitmap, letter, alphabet, exhaustive=9)
        if truth is None:
            assert not exact.found and not exact.proven
            continue
        assert exact.flips == truth and exact.proven
        if reads_now != letter:
            assert truth == 0 and exact.reads == reads_now
            continue
        # Up to 3 flips proven; beyond, the search's answer is a real fooling, never smaller.
        default = minimum_flips(net, bitmap, letter, alphabet)
        if truth <= 3:
            assert default.flips == truth and default.proven
        else:
            assert not default.proven and default.searched_up_to == 3
            if default.found:
                assert default.flips >= truth
        for result in (exact, default):
            if result.found:
                fooled = net.predict_proba(list(flipped_grid(bitmap, result.pixels)))
                assert int(np.argmax(fooled)) == result.reads != letter
                assert list(result.pixels) == sorted(set(result.pixels))


def test_minimum_prefers_a_fooling_the_ideal_observer_sees_through() -> None:
    for seed in range(6):
        alphabet = small_alphabet(seed)
        net = random_network(9, 4, seed, "softmax", hidden=5)
        for letter in range(4):
            bitmap = alphabet.bitmaps[letter]
            result = minimum_flips(net, bitmap, letter, alphabet, exhaustive=9)
            if not result.found or result.flips == 0:
                continue
            fair = [
                pixels
                for pixels in itertools.combinations(range(9), result.flips)
                if int(np.argmax(net.predict_proba(list(flipped_grid(bitmap, pixels))))) != letter
                and ideal_reading(flipped_grid(bitmap, pixels), alphabet) == (letter,)
            ]
            if fair:
                assert ideal_reading(flipped_grid(bitmap, result.pixels), alphabet) == (letter,)


@pytest.mark.parametrize("seed", range(6))
def test_ideal_minimum_matches_brute_force(seed: int) -> None:
    alphabet = small_alphabet(seed, letters=5)
    for letter in range(len(alphabet)):
        bitmap = alphabet.bitmaps[letter]
        needed = next(
            k
            for k in range(10)
            for pixels in itertools.combinations(range(9), k)
            if ideal_reading(flipped_grid(bitmap, pixels), alphabet) != (letter,)
        )
        assert ideal_minimum(alphabet, letter) == needed


def test_ideal_reading_names_ties() -> None:
    alphabet = Alphabet("two", 1, 4, ("A", "B"), ((1, 1, 0, 0), (0, 0, 1, 1)))
    assert ideal_reading((1, 1, 0, 0), alphabet) == (0,)
    assert ideal_reading((1, 0, 1, 0), alphabet) == (0, 1)
    assert ideal_minimum(alphabet, 0) == 2
