"""The app's view models, as plain data: no App, no Pilot (the screens' tests cover the rest)."""

from __future__ import annotations

import pytest

from letter_tui.app.views.inside_view import MAX_NOISE, VIEWS, allowed, noisy_input, stepped_noise
from letter_tui.app.views.quiz_text import is_answer


@pytest.mark.parametrize(
    ("action", "views"),
    [
        ("unit", {"units"}),
        ("letter", {"forward"}),
        ("reroll", {"forward"}),
        ("noise", {"forward", "confusion"}),
        ("scroll", {"noise", "confusion"}),
        ("numbers", {"units", "forward", "confusion"}),
        ("why", {"forward"}),
        ("back", set(VIEWS)),
        ("view", set(VIEWS)),
    ],
)
def test_inside_keys_work_in_their_views_only(action: str, views: set[str]) -> None:
    assert {v for v in VIEWS if allowed(action, v)} == views


def test_inside_noise_steps_stay_between_0_and_the_maximum() -> None:
    assert stepped_noise(0.0, -1) == 0.0
    assert stepped_noise(0.1, 1) == 0.15
    assert stepped_noise(MAX_NOISE, 1) == MAX_NOISE


def test_inside_noisy_input_is_the_letter_itself_without_noise_and_repeatable_with_it() -> None:
    bitmap = (1, 0) * 15
    assert noisy_input(bitmap, 0.0, 3, 1) is bitmap
    assert noisy_input(bitmap, 0.3, 3, 1) == noisy_input(bitmap, 0.3, 3, 1)
    assert noisy_input(bitmap, 0.5, 3, 1) != bitmap


@pytest.mark.parametrize(
    ("char", "printable", "bound", "answers"),
    [
        ("a", True, False, True),
        ("A", True, False, True),  # any case
        ("?", True, True, False),  # bound (help) and no label: the binding keeps it
        ("b", True, True, True),  # bound but a label: it answers
        ("x", True, False, True),  # no label, unbound: an answer the quiz refuses with a hint
        (None, False, False, False),
        ("\r", False, True, False),
        ("ab", True, False, False),
    ],
)
def test_which_keys_answer_a_quiz_round(
    char: str | None, printable: bool, bound: bool, answers: bool
) -> None:
    assert is_answer(char, printable, bound, ("a", "b", "c")) is answers
