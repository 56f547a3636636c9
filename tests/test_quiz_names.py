"""Player names: printable only, at most 20 characters, a fallback when nothing is left."""

from __future__ import annotations

import getpass
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from letter_tui.core import names
from letter_tui.core.quiz import FALLBACK_NAME, NAME_MAX, clean_name, login_name


@given(st.text(max_size=200))
def test_a_cleaned_name_is_printable_short_and_stable(text: str) -> None:
    name = clean_name(text)
    assert 1 <= len(name) <= NAME_MAX
    assert name.isprintable()
    assert name == name.strip() and "  " not in name
    assert clean_name(name) == name


@given(st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp"]), max_size=50))
def test_nothing_printable_gives_the_fallback(text: str) -> None:
    assert clean_name(text) == FALLBACK_NAME
    assert clean_name(text, fallback="guest") == "guest"


@given(st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=20))
def test_plain_names_are_kept(text: str) -> None:
    assert clean_name(text) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("alice", "alice"),
        ("  bob  smith ", "bob smith"),
        ("eve\x1b[31m", "eve[31m"),  # the escape goes, the harmless rest stays plain text
        ("mal\u202eroy", "malroy"),  # a bidi override would reorder the leaderboard
        ("zero\u200bwidth", "zerowidth"),
        ("tab\there\nnext", "tab here next"),
        ("[bold]x[/bold]", "[bold]x[/bold]"),  # markup is not removed, it is shown as text
        ("e\u0301", "\u00e9"),  # NFC: one character, not two
        ("x" * 50, "x" * 20),
        ("", FALLBACK_NAME),
        (None, FALLBACK_NAME),
    ],
)
def test_examples(raw, clean: str) -> None:
    assert clean_name(raw) == clean
    assert unicodedata.is_normalized("NFC", clean_name(raw))


def test_login_name_is_cleaned_and_falls_back(monkeypatch) -> None:
    monkeypatch.setattr(getpass, "getuser", lambda: "pat\x07")
    assert login_name() == "pat" and isinstance(login_name(), names.PlayerName)

    def missing() -> str:
        raise OSError("no user")

    monkeypatch.setattr(getpass, "getuser", missing)
    assert login_name() == FALLBACK_NAME and isinstance(login_name(), names.PlayerName)
