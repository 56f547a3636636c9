"""How fast the score store is with a big history: saving a game, the leaderboard, the chart.

    python benchmarks/bench_scores.py [GAMES]

Baseline, in the same process: the same game inserted through one connection kept open
(what the store would cost without its connection-per-call design, which makes it safe
from any thread and never holds the file open between games).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from letter_tui.core.scores import AnswerRecord, GameRecord, ScoreStore


def make_game(rng: random.Random, i: int) -> GameRecord:
    rounds = 10
    answers = tuple(
        AnswerRecord(
            round_no=k + 1,
            letter="A",
            p=round(rng.uniform(0.0, 0.45), 2),
            flipped=rng.randint(0, 12),
            guess=rng.choice("ABC"),
            network_guess=rng.choice("AAB"),
            ideal_credit=rng.choice((0.0, 0.5, 1.0)),
            answer_ms=rng.randint(300, 4000),
            bitmap="01" * 15,
        )
        for k in range(rounds)
    )
    return GameRecord(
        name=f"player{i % 200}",
        alphabet="abc",
        level=rng.choice(("easy", "medium", "hard", "adaptive")),
        rounds=rounds,
        user_correct=sum(a.player_right for a in answers),
        network_correct=sum(a.network_right for a in answers),
        mean_noise=0.2,
        duration_s=30.0,
        played_at="2026-11-25T03:00:00+00:00",
        seed=i,
        answers=answers,
    )


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    games = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as folder:
        store = ScoreStore(Path(folder) / "scores.sqlite3")
        start = time.perf_counter()
        for i in range(games):
            store.save(make_game(rng, i))
        fill = time.perf_counter() - start
        print(f"filled {games} games of 10 answers in {fill:.1f} s")

        sample = make_game(rng, 0)
        save = median_ms(lambda: store.save(sample), 50)

        conn = sqlite3.connect(store.path, isolation_level=None)
        conn.execute("PRAGMA busy_timeout = 5000")

        def raw_save() -> None:
            conn.execute("BEGIN IMMEDIATE")
            cur = conn.execute(
                "INSERT INTO scores (name, alphabet, rounds, user_correct, network_correct,"
                " level, mean_noise, played_at, duration_s) VALUES (?,?,?,?,?,?,?,?,?)",
                ("x", "abc", 10, 5, 5, "easy", 0.2, "2026", 1.0),
            )
            conn.executemany(
                "INSERT INTO answers (game_id, round_no, letter, p, flipped, guess,"
                " network_guess, answer_ms, ideal_credit, bitmap) VALUES (?,?,?,?,?,?,?,?,?,?)",
                [
                    (cur.lastrowid, a.round_no, a.letter, a.p, a.flipped, a.guess,
                     a.network_guess, a.answer_ms, a.ideal_credit, a.bitmap)
                    for a in sample.answers
                ],
            )  # fmt: skip
            conn.execute("COMMIT")

        raw = median_ms(raw_save, 50)
        conn.close()
        board = median_ms(lambda: store.leaderboard("abc", "medium"), 20)
        chart = median_ms(lambda: store.noise_accuracy("abc"), 10)
        print(f"save one game:            {save:7.2f} ms  (open connection baseline {raw:.2f} ms,"
              f" ratio {save / raw:.1f}x)")  # fmt: skip
        print(f"leaderboard (top 10):     {board:7.2f} ms  over ~{games // 4} games of a level")
        print(f"noise chart (all answers): {chart:6.2f} ms  over {games * 10} answers")


if __name__ == "__main__":
    main()
