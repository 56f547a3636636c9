"""Pixel-flip noise: each pixel flips independently with probability p."""

from __future__ import annotations

import numpy as np


def flip(bitmaps: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """A copy of `bitmaps` (0/1 values, any shape) with each pixel flipped with probability p."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"flip probability must be between 0 and 1, not {p}")
    source = np.asarray(bitmaps)
    mask = rng.random(source.shape) < p
    return np.where(mask, 1 - source, source).astype(source.dtype, copy=False)


def noisy_copies(
    bitmaps: np.ndarray, targets: np.ndarray, copies: int, p: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """`copies` noisy versions of every letter, letter-major: (letters * copies, pixels)."""
    repeated = np.repeat(bitmaps, copies, axis=0)
    return flip(repeated, p, rng), np.repeat(targets, copies, axis=0)


def training_set(
    bitmaps: np.ndarray,
    targets: np.ndarray,
    noise: float,
    copies: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The clean letters, followed (when noise > 0) by `copies` noisy copies of each.

    The copies are drawn once, before training, from a generator seeded with `seed`, so
    a run is reproducible; with noise 0 the set is exactly the clean letters (the tutorial).
    """
    if noise <= 0 or copies <= 0:
        return bitmaps, targets
    rng = np.random.default_rng(seed)
    noisy_x, noisy_y = noisy_copies(bitmaps, targets, copies, noise, rng)
    return np.vstack([bitmaps, noisy_x]), np.vstack([targets, noisy_y])
