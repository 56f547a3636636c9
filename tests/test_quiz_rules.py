"""Quiz rules: levels, the staircase, seeded rounds, answers, scoring and the summary."""

from __future__ import annotations

import numpy as np
import pytest

from letter_tui.core.alphabet import Alphabet, load_bundled
from letter_tui.core.evaluate import hamming_distances
from letter_tui.core.names import clean_name
from letter_tui.core.network import Network
from letter_tui.core.quiz import (
    LEVELS,
    STAIRCASE_HIGH,
    STAIRCASE_LOW,
    STAIRCASE_START,
    NotAnAnswer,
    Quiz,
    QuizSettings,
    Result,
    Staircase,
    make_round,
    match_label,
)
from tests.conftest import trained_model


@pytest.fixture(scope="module")
def abc() -> Alphabet:
    return load_bundled("abc")


@pytest.fixture(scope="module")
def net(abc: Alphabet) -> Network:
    return trained_model(abc, epochs=3000).network


def play(quiz: Quiz, keys) -> list[Result]:
    """Answer each round with keys(round) (a label, or None for a time-out)."""
    out = []
    while not quiz.finished:
        r = quiz.next_round()
        key = keys(r)
        result = quiz.time_out() if key is None else quiz.answer(key, 1.5)
        assert isinstance(result, Result)
        out.append(result)
    return out


def truth(abc: Alphabet):
    return lambda r: abc.labels[r.letter]


# --- Levels and settings ---------------------------------------------------------------------


@pytest.mark.parametrize(("level", "p"), [("easy", 0.10), ("medium", 0.20), ("hard", 0.30)])
def test_levels_are_documented_flip_probabilities(level: str, p: float, abc, net) -> None:
    assert LEVELS[level] == p
    quiz = Quiz(abc, net, QuizSettings(level=level, rounds=5, seed=1))
    rounds = [r.round.p for r in play(quiz, lambda r: None if r.number % 2 else "A")]
    assert rounds == [p] * 5
    assert quiz.record(clean_name("me")).level == level


def test_fixed_noise_overrides_the_level_and_is_labelled(abc, net) -> None:
    settings = QuizSettings(level="hard", noise=0.15, rounds=3, seed=2)
    assert not settings.adaptive
    assert settings.label == "noise 0.15"
    quiz = Quiz(abc, net, settings)
    assert {r.round.p for r in play(quiz, truth(abc))} == {0.15}


def test_adaptive_starts_at_medium(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(level="adaptive", seed=3))
    assert quiz.next_round().p == STAIRCASE_START == LEVELS["medium"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"rounds": 0}, "rounds"),
        ({"rounds": 1001}, "rounds"),
        ({"level": "insane"}, "level"),
        ({"noise": 0.6}, "noise"),
        ({"noise": -0.1}, "noise"),
        ({"time_limit": 0.4}, "time_limit"),
        ({"time_limit": 3601}, "time_limit"),
        ({"seed": 2**32}, "seed"),
    ],
)
def test_settings_problems_name_the_field(changes: dict, field: str, abc, net) -> None:
    settings = QuizSettings(**changes)
    assert list(settings.problems()) == [field]
    with pytest.raises(ValueError):
        Quiz(abc, net, settings)


def test_a_network_for_another_alphabet_is_refused(abc) -> None:
    with pytest.raises(ValueError, match="does not fit"):
        Quiz(abc, Network.create(30, 5, 26))


# --- The staircase ---------------------------------------------------------------------------


def test_staircase_steps_up_after_right_and_down_after_wrong() -> None:
    s = Staircase(letters=3)
    assert s.target == pytest.approx(2 / 3)
    assert s.down == pytest.approx(0.06)  # balances 0.03 up at 2/3 right
    assert s.update(True) == pytest.approx(0.23)
    assert s.update(True) == pytest.approx(0.26)
    assert s.update(False) == pytest.approx(0.20)
    for _ in range(50):
        s.update(True)
    assert s.p == STAIRCASE_HIGH
    for _ in range(50):
        s.update(False)
    assert s.p == STAIRCASE_LOW


def test_staircase_steps_depend_on_the_number_of_letters() -> None:
    s = Staircase(letters=26)
    t = (1 + 1 / 26) / 2
    assert s.down == pytest.approx(0.03 * t / (1 - t))


def test_staircase_finds_a_simulated_players_threshold() -> None:
    # A player right with chance 1 - p: 2/3 right (the staircase's target for 3 letters)
    # at p = 1/3. The mean of the visited p must settle there.
    rng = np.random.default_rng(0)
    s = Staircase(letters=3)
    visited = []
    for _ in range(6000):
        visited.append(s.p)
        s.update(bool(rng.random() < 1 - s.p))
    assert np.mean(visited[1000:]) == pytest.approx(1 / 3, abs=0.02)


def test_adaptive_game_follows_the_staircase(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(level="adaptive", rounds=6, seed=4))
    right = [True, True, False, True, False, False]
    ps = []
    for ok in right:
        r = quiz.next_round()
        ps.append(r.p)
        wrong = abc.labels[(r.letter + 1) % 3]
        quiz.answer(abc.labels[r.letter] if ok else wrong, 1.0)
    assert ps == pytest.approx([0.20, 0.23, 0.26, 0.20, 0.23, 0.17])
    assert quiz.noise == pytest.approx(0.11)


# --- Rounds and the seed ---------------------------------------------------------------------


def test_a_seed_reproduces_letters_and_noise_exactly(abc, net) -> None:
    def game():
        quiz = Quiz(abc, net, QuizSettings(level="hard", rounds=10, seed=5))
        return [r.round for r in play(quiz, truth(abc))]

    first, second = game(), game()
    assert first == second
    assert len({r.letter for r in first}) > 1
    assert any(r.bitmap != r.clean for r in first)
    other = Quiz(abc, net, QuizSettings(level="hard", rounds=10, seed=6))
    assert [r.round.bitmap for r in play(other, truth(abc))] != [r.bitmap for r in first]


def test_adaptive_letters_do_not_depend_on_the_answers(abc, net) -> None:
    def game(keys):
        quiz = Quiz(abc, net, QuizSettings(level="adaptive", rounds=8, seed=7))
        return [r.round for r in play(quiz, keys)]

    good, bad = game(truth(abc)), game(lambda r: None)
    assert [r.letter for r in good] == [r.letter for r in bad]
    assert [r.p for r in good] != [r.p for r in bad]
    # Same round, same p: the same pixels flip.
    assert good[0] == bad[0]


def test_a_game_without_a_seed_records_one_that_replays_it(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(rounds=4))
    assert 0 <= quiz.seed < 2**32
    rounds = [r.round for r in play(quiz, truth(abc))]
    again = Quiz(abc, net, QuizSettings(rounds=4), seed=quiz.seed)
    assert [r.round for r in play(again, truth(abc))] == rounds
    assert quiz.record(clean_name("me")).seed == quiz.seed


def test_more_noise_flips_a_superset_of_the_pixels(abc, net) -> None:
    # One uniform per pixel, compared with p: the flips at p are among the flips at p' > p.
    low, high = make_round(abc, net, 9, 1, 0.1), make_round(abc, net, 9, 1, 0.4)
    assert low.letter == high.letter

    def flips(r) -> set[int]:
        return {i for i, (a, b) in enumerate(zip(r.clean, r.bitmap, strict=True)) if a != b}

    assert flips(low) < flips(high)
    assert make_round(abc, net, 9, 1, 0.0).bitmap == low.clean


def test_a_round_holds_the_networks_and_the_ideal_observers_guesses(abc, net) -> None:
    for number in range(1, 40):
        r = make_round(abc, net, 11, number, 0.3)
        assert r.clean == abc.bitmaps[r.letter]
        assert r.flipped == sum(a != b for a, b in zip(r.clean, r.bitmap, strict=True))
        outputs = net.predict_proba(np.array(r.bitmap, dtype=float))
        assert r.outputs == pytest.approx(tuple(outputs))
        assert r.network_guess == int(np.argmax(outputs))
        d = hamming_distances(np.array(r.bitmap), abc)[0]
        assert r.distance == d.min()
        assert r.ideal_nearest == tuple(np.flatnonzero(d == d.min()))
        assert r.ideal_guess in r.ideal_nearest
        expected = 1 / len(r.ideal_nearest) if r.letter in r.ideal_nearest else 0.0
        assert r.ideal_credit == expected


# --- Answers ---------------------------------------------------------------------------------


def test_answers_ignore_case(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(rounds=2, seed=12))
    r = quiz.next_round()
    result = quiz.answer(abc.labels[r.letter].lower(), 0.8)
    assert isinstance(result, Result) and result.player_right and result.answer_ms == 800
    assert match_label("b", ("A", "B")) == 1
    assert match_label("B", ("a", "b")) == 1


@pytest.mark.parametrize("key", ["x", "?", "1", "enter", "", None, "\x1b"])
def test_a_key_that_is_no_label_is_a_hint_not_a_wrong_answer(key, abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(rounds=1, seed=13))
    r = quiz.next_round()
    result = quiz.answer(key, 1.0)
    assert isinstance(result, NotAnAnswer)
    assert result.hint == "Press one of A B C"
    assert quiz.awaiting_answer and quiz.results == []
    assert isinstance(quiz.answer(abc.labels[r.letter], 2.0), Result)
    assert quiz.finished and quiz.player_score == 1


def test_the_hint_for_a_long_alphabet_names_the_range(net) -> None:
    az = load_bundled("az")
    quiz = Quiz(az, Network.create(30, 5, 26))
    quiz.next_round()
    hint = quiz.answer("1", 1.0)
    assert isinstance(hint, NotAnAnswer)
    assert hint.hint == "Press one of the 26 letters' keys, A to Z"


def test_time_out_counts_wrong_and_a_late_key_is_a_time_out(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(rounds=3, time_limit=5, seed=14))
    quiz.next_round()
    out = quiz.time_out()
    assert out.timed_out and not out.player_right and out.answer_ms == 5000
    r = quiz.next_round()
    late = quiz.answer(abc.labels[r.letter], 5.2)
    assert isinstance(late, Result) and late.timed_out and late.answer_ms == 5000
    r = quiz.next_round()
    in_time = quiz.answer(abc.labels[r.letter], 4.9)
    assert isinstance(in_time, Result) and in_time.player_right
    assert quiz.player_score == 1 and quiz.summary().timeouts == 2


def test_out_of_turn_calls_are_refused(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(rounds=1, seed=15))
    with pytest.raises(RuntimeError):
        quiz.answer("A", 1.0)
    quiz.next_round()
    with pytest.raises(RuntimeError, match="finished"):
        quiz.record(clean_name("quitter"))  # a game quit before its summary saves nothing
    with pytest.raises(RuntimeError):
        quiz.next_round()
    quiz.answer("A", 1.0)
    with pytest.raises(RuntimeError):
        quiz.next_round()
    with pytest.raises(RuntimeError):
        quiz.time_out()


# --- Scores and the summary ------------------------------------------------------------------


def test_summary_counts_each_player_on_the_same_items(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(level="adaptive", rounds=20, seed=16))
    # A player who is right on even rounds, answers wrong on odd ones and times out on 7.
    results = play(
        quiz,
        lambda r: (
            None
            if r.number == 7
            else abc.labels[r.letter if r.number % 2 == 0 else (r.letter + 1) % 3]
        ),
    )
    s = quiz.summary()
    assert s.rounds == 20
    assert s.player_correct == 10 == quiz.player_score
    assert s.network_correct == sum(r.round.network_right for r in results) == quiz.network_score
    assert s.ideal_correct == sum(r.round.ideal_right for r in results)
    assert s.ideal_expected == pytest.approx(sum(r.round.ideal_credit for r in results))
    assert s.timeouts == 1
    assert s.player_accuracy == 0.5
    assert s.mean_noise == pytest.approx(np.mean([r.round.p for r in results]))
    assert s.only_player == tuple(
        r for r in results if r.player_right and not r.round.network_right
    )
    assert s.only_network == tuple(
        r for r in results if r.round.network_right and not r.player_right
    )
    assert s.only_network, "the network beat a half-wrong player somewhere"
    assert len(s.by_noise) >= 2
    assert sum(b.count for b in s.by_noise) == 20
    assert sum(b.player for b in s.by_noise) == 10
    assert sum(b.network for b in s.by_noise) == s.network_correct
    for b in s.by_noise:
        inside = [r for r in results if b.low - 1e-9 <= r.round.p < b.high - 1e-9]
        assert b.count == len(inside)
        assert b.player == sum(r.player_right for r in inside)
        assert b.mean_p == pytest.approx(np.mean([r.round.p for r in inside]))


def test_record_holds_every_answer_for_the_store(abc, net) -> None:
    quiz = Quiz(abc, net, QuizSettings(level="easy", rounds=3, time_limit=9, seed=17))
    results = play(quiz, lambda r: None if r.number == 2 else abc.labels[r.letter].lower())
    raw = "  Ann\x1b[2J \t Lee "
    with pytest.raises(ValueError, match="cleaned where it comes in"):
        quiz.record(raw)  # type: ignore[arg-type]  # refused, not cleaned a second time
    game = quiz.record(clean_name(raw), played_at="2026-01-02T03:04:05+00:00")
    assert game.name == "Ann[2J Lee"
    assert (game.alphabet, game.level, game.rounds, game.user_correct) == ("abc", "easy", 3, 2)
    assert game.network_correct == quiz.network_score
    assert game.mean_noise == pytest.approx(0.10)
    assert game.played_at == "2026-01-02T03:04:05+00:00"
    assert game.duration_s == pytest.approx(1.5 + 9 + 1.5)
    assert (game.seed, game.time_limit_s) == (17, 9)
    assert [a.guess for a in game.answers] == [
        None if r.timed_out else abc.labels[r.round.letter] for r in results
    ]
    first = game.answers[0]
    r0 = results[0].round
    assert first.letter == abc.labels[r0.letter]
    assert first.flipped == r0.flipped and first.p == 0.10
    assert first.network_guess == abc.labels[r0.network_guess]
    assert first.bitmap == "".join(map(str, r0.bitmap)) and len(first.bitmap) == 30
    assert quiz.record(clean_name("x"), duration_s=42.0).duration_s == 42.0
