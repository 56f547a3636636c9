"""The score store: schema, migration, one transaction per game, two writers, bad files."""

from __future__ import annotations

import select
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from letter_tui.core.names import clean_name
from letter_tui.core.scores import (
    SCHEMA_VERSION,
    AnswerRecord,
    GameRecord,
    ScoreStore,
    ScoreStoreError,
    bin_noise,
)


def game(
    name: str = "ann",
    correct: int = 3,
    rounds: int = 4,
    ms: int = 1000,
    alphabet: str = "abc",
    level: str = "medium",
    p: float = 0.2,
) -> GameRecord:
    answers = tuple(
        AnswerRecord(
            round_no=i + 1,
            letter="A",
            p=p,
            flipped=6,
            guess="A" if i < correct else ("B" if i % 2 else None),
            network_guess="A" if i % 2 == 0 else "C",
            ideal_credit=0.5,
            answer_ms=ms,
            bitmap="01" * 15,
        )
        for i in range(rounds)
    )
    return GameRecord(
        name=clean_name(name),  # as the quiz records it: cleaned where it came in
        alphabet=alphabet,
        level=level,
        rounds=rounds,
        user_correct=correct,
        network_correct=sum(a.network_right for a in answers),
        mean_noise=p,
        duration_s=rounds * ms / 1000,
        played_at="2026-11-25T03:00:00+00:00",
        seed=5,
        time_limit_s=None,
        answers=answers,
    )


@pytest.fixture
def store(tmp_path: Path) -> ScoreStore:
    return ScoreStore(tmp_path / "data" / "scores.sqlite3", timeout=0.3)


def columns(path: Path, table: str) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def test_a_new_store_has_the_schema_in_wal_mode(store: ScoreStore) -> None:
    assert not store.exists()
    store.save(game())
    assert store.exists()
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {
        "name",
        "alphabet",
        "rounds",
        "user_correct",
        "network_correct",
        "level",
        "mean_noise",
        "played_at",
        "duration_s",
    } <= columns(store.path, "scores")
    assert {
        "game_id",
        "letter",
        "p",
        "flipped",
        "guess",
        "network_guess",
        "answer_ms",
        "ideal_credit",
    } <= columns(store.path, "answers")


def test_a_game_and_its_answers_read_back(store: ScoreStore) -> None:
    record = game(correct=2)
    game_id = store.save(record)
    assert store.answers(game_id) == list(record.answers)
    assert store.answers(game_id)[2].guess is None  # a time-out
    with sqlite3.connect(store.path) as conn:
        row = conn.execute(
            "SELECT name, alphabet, rounds, user_correct, network_correct, level, mean_noise,"
            " played_at, duration_s, seed FROM scores WHERE id = ?",
            (game_id,),
        ).fetchone()
    assert row == ("ann", "abc", 4, 2, 2, "medium", 0.2, "2026-11-25T03:00:00+00:00", 4.0, 5)


def test_a_game_is_saved_whole_or_not_at_all(store: ScoreStore) -> None:
    store.save(game())
    broken = game(name="half")
    bad_answer = AnswerRecord(2, None, 0.2, 1, "A", "A", 1.0, 5)  # type: ignore[arg-type]
    broken = GameRecord(**{**broken.__dict__, "answers": (*broken.answers[:1], bad_answer)})
    with pytest.raises(ScoreStoreError):
        store.save(broken)
    assert store.game_count() == 1
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 4


# The first released schema, written out here (not taken from the module) so that a change to
# a released migration step fails this test.
SCHEMA_V1 = """
CREATE TABLE scores (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, alphabet TEXT NOT NULL,
    rounds INTEGER NOT NULL, user_correct INTEGER NOT NULL, network_correct INTEGER NOT NULL,
    level TEXT NOT NULL, mean_noise REAL NOT NULL, played_at TEXT NOT NULL,
    duration_s REAL NOT NULL);
CREATE TABLE answers (
    id INTEGER PRIMARY KEY, game_id INTEGER NOT NULL REFERENCES scores(id) ON DELETE CASCADE,
    round_no INTEGER NOT NULL, letter TEXT NOT NULL, p REAL NOT NULL, flipped INTEGER NOT NULL,
    guess TEXT, network_guess TEXT NOT NULL, answer_ms INTEGER NOT NULL);
INSERT INTO scores VALUES (1, 'old', 'abc', 2, 2, 1, 'hard', 0.3, '2025-01-01T00:00:00+00:00', 9);
INSERT INTO answers VALUES (1, 1, 1, 'A', 0.3, 9, 'A', 'A', 1500);
INSERT INTO answers VALUES (2, 1, 2, 'B', 0.3, 8, 'B', 'C', 2500);
PRAGMA user_version = 1;
"""


def test_an_older_schema_is_migrated_in_place_keeping_its_games(store: ScoreStore) -> None:
    store.path.parent.mkdir(parents=True)
    with sqlite3.connect(store.path) as conn:
        conn.executescript(SCHEMA_V1)
    store.save(game(level="hard"))
    assert store.schema_version() == SCHEMA_VERSION
    assert {"seed", "time_limit_s"} <= columns(store.path, "scores")
    assert {"ideal_credit", "bitmap"} <= columns(store.path, "answers")
    board = store.leaderboard("abc", "hard")
    assert [(e.name, e.user_correct, e.rounds) for e in board] == [("old", 2, 2), ("ann", 3, 4)]
    assert board[0].mean_answer_ms == 2000
    old = store.answers(1)
    assert [(a.letter, a.guess, a.network_guess, a.ideal_credit, a.bitmap) for a in old] == [
        ("A", "A", "A", 0, ""),
        ("B", "B", "C", 0, ""),
    ]
    # Migrating again is a no-op.
    store.migrate()
    assert store.game_count() == 2


def test_an_empty_file_is_a_new_database(store: ScoreStore) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(b"")
    store.save(game())
    assert store.schema_version() == SCHEMA_VERSION


def test_a_newer_schema_is_refused_and_left_alone(store: ScoreStore) -> None:
    store.path.parent.mkdir(parents=True)
    with sqlite3.connect(store.path) as conn:
        conn.execute("CREATE TABLE future (x)")
        conn.execute("PRAGMA user_version = 99")
    before = store.path.read_bytes()
    with pytest.raises(ScoreStoreError, match="newer letter-tui"):
        store.save(game())
    assert store.path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a database, it is a note someone saved here\n" * 40,
        b"SQLite format 3\x00" + b"\xff" * 4000,
    ],
)
def test_a_corrupt_file_is_one_clear_line_and_never_touched(
    store: ScoreStore, content: bytes
) -> None:
    store.path.parent.mkdir(parents=True)
    store.path.write_bytes(content)
    for call in (lambda: store.save(game()), lambda: store.leaderboard("abc", "medium")):
        with pytest.raises(ScoreStoreError) as caught:
            call()
        message = str(caught.value)
        assert "\n" not in message
        assert str(store.path) in message
        assert "damaged" in message and "move it aside" in message
    assert store.path.read_bytes() == content


def test_a_damaged_table_is_reported_not_repaired(store: ScoreStore) -> None:
    for i in range(30):
        store.save(game(name=f"p{i}", rounds=20))
    with sqlite3.connect(store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(store.path.read_bytes())
    page = 4096
    data[2 * page : 6 * page] = b"\xa5" * (4 * page)  # scribble over pages of the tables
    store.path.write_bytes(bytes(data))
    with pytest.raises(ScoreStoreError, match="damaged"):
        store.noise_accuracy("abc")
    assert store.path.read_bytes() == bytes(data)


def test_a_locked_database_is_a_clear_error_then_works_again(store: ScoreStore) -> None:
    store.save(game())
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(ScoreStoreError, match="busy") as caught:
            store.save(game(name="late"))
        assert time.monotonic() - started >= 0.25  # it waited for the busy timeout first
        assert "\n" not in str(caught.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store.save(game(name="late"))
    assert store.game_count() == 2


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tests.test_scores_store import game
    from letter_tui.core.scores import ScoreStore
    path, who = Path(sys.argv[1]), sys.argv[2]
    # A long busy timeout: on a loaded machine a writer holding the lock can lose its core
    # for seconds. A store that cannot share (an upgrade deadlock, no WAL) fails at once
    # whatever the timeout, so this weakens nothing the test is for.
    store = ScoreStore(path, timeout=60)
    print("ready", flush=True)  # imported and about to save: the parent waits for this
    sys.stdin.readline()  # the starting gun: both wait here until the parent writes a line
    for i in range(25):
        store.save(game(name=f"{who}{i}", rounds=10))
    """
)
DEADLINE_S = 180  # for the whole race; a quiet machine takes about 2 s, two busy loops 20


def read_line(process: subprocess.Popen, deadline: float) -> str:
    """The next line `process` prints, waiting on its pipe until `deadline` (monotonic)."""
    ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
    assert ready, "the writer did not get ready before the deadline"
    return process.stdout.readline().strip()


def test_two_processes_saving_at_once_both_land(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "scores.sqlite3"  # neither finds a database: both create it
    root = Path(__file__).resolve().parents[1]
    deadline = time.monotonic() + DEADLINE_S
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    try:
        # Both imported and waiting before either starts, however slow the machine: they race.
        for writer in writers:
            assert read_line(writer, deadline) == "ready", writer.stderr.read()
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            _, err = writer.communicate(timeout=max(0.0, deadline - time.monotonic()))
            assert writer.returncode == 0, err
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
    store = ScoreStore(path)
    assert store.game_count() == 50
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0] == 500
        names = {row[0] for row in conn.execute("SELECT name FROM scores")}
    assert names == {f"{w}{i}" for w in "ab" for i in range(25)}


def test_leaderboard_ranks_by_accuracy_then_speed_per_alphabet_and_level(
    store: ScoreStore,
) -> None:
    ids = {}
    for name, correct, ms in [
        ("slow3", 3, 2000),
        ("fast3", 3, 500),
        ("all4", 4, 3000),
        ("two", 2, 100),
    ]:
        ids[name] = store.save(game(name=name, correct=correct, ms=ms))
    store.save(game(name="other-level", correct=4, ms=1, level="hard"))
    store.save(game(name="other-alphabet", correct=4, ms=1, alphabet="az"))
    board = store.leaderboard("abc", "medium")
    assert [e.name for e in board] == ["all4", "fast3", "slow3", "two"]
    assert [e.rank for e in board] == [1, 2, 3, 4]
    assert board[1].accuracy == 0.75 and board[1].mean_answer_ms == 500
    assert store.rank(ids["slow3"]) == 3
    assert store.rank(12345) is None
    assert store.boards() == [("abc", "medium", 4), ("abc", "hard", 1), ("az", "medium", 1)]


def test_leaderboard_keeps_the_top_ten(store: ScoreStore) -> None:
    for i in range(13):
        store.save(game(name=f"p{i}", correct=i % 5, rounds=4, ms=1000 + i))
    board = store.leaderboard("abc", "medium")
    assert len(board) == 10
    accuracies = [e.accuracy for e in board]
    assert accuracies == sorted(accuracies, reverse=True)
    assert [e.name for e in board[:3]] == ["p4", "p9", "p3"]


def test_noise_accuracy_bins_every_answer_of_every_player(store: ScoreStore) -> None:
    store.save(game(name="a", correct=4, p=0.1))  # 4 answers at 0.1, all right
    store.save(game(name="b", correct=1, p=0.1))  # 4 at 0.1, one right
    store.save(game(name="b", correct=0, p=0.32))  # 4 at 0.32, none right
    store.save(game(name="c", correct=4, p=0.1, alphabet="az"))  # another alphabet
    bins = store.noise_accuracy("abc")
    assert [(b.low, b.high, b.count, b.player, b.network) for b in bins] == [
        (0.1, 0.15, 8, 5, 4),
        (0.3, 0.35, 4, 0, 2),
    ]
    assert bins[0].player_accuracy == 5 / 8
    assert bins[0].ideal_accuracy == 0.5
    assert bins[1].mean_p == pytest.approx(0.32)
    only_b = store.noise_accuracy("abc", name="b")
    assert [(b.count, b.player) for b in only_b] == [(4, 1), (4, 0)]


def test_reading_a_missing_file_does_not_create_it(store: ScoreStore) -> None:
    with pytest.raises(ScoreStoreError, match="no scores yet"):
        store.schema_version()
    assert not store.path.exists()


def test_a_data_folder_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    store = ScoreStore(blocker / "scores.sqlite3")
    with pytest.raises(ScoreStoreError) as caught:
        store.save(game())
    assert str(caught.value).startswith(f"{store.path}: ")
    assert "\n" not in str(caught.value)


def test_the_store_bins_like_the_game_summary(store: ScoreStore) -> None:
    # Edges such as 0.15 (0.1499999... in binary) must fall in the same bin in SQL and Python.
    ps = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.45, 0.149, 0.23, 0.17]
    for i, p in enumerate(ps):
        store.save(game(name=f"p{i}", correct=i % 3, p=p))
    items = []
    for game_id in range(1, len(ps) + 1):
        items += [
            (a.p, a.player_right, a.network_right, a.ideal_credit) for a in store.answers(game_id)
        ]
    stored = store.noise_accuracy("abc")
    expected = bin_noise(items)
    assert [(b.low, b.count, b.player, b.network) for b in stored] == [
        (b.low, b.count, b.player, b.network) for b in expected
    ]
    assert [b.mean_p for b in stored] == pytest.approx([b.mean_p for b in expected])
    assert [b.ideal for b in stored] == pytest.approx([b.ideal for b in expected])
    assert [b.low for b in stored] == [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.45]


# Version 2, as released before the fool game's table: version 1 plus its second step,
# written out here for the same reason as SCHEMA_V1.
SCHEMA_V2 = (
    SCHEMA_V1.replace("PRAGMA user_version = 1;", "")
    + """
ALTER TABLE scores ADD COLUMN seed INTEGER;
ALTER TABLE scores ADD COLUMN time_limit_s REAL;
ALTER TABLE answers ADD COLUMN ideal_credit REAL;
ALTER TABLE answers ADD COLUMN bitmap TEXT NOT NULL DEFAULT '';
CREATE INDEX scores_board ON scores(alphabet, level);
CREATE INDEX answers_game ON answers(game_id);
PRAGMA user_version = 2;
"""
)


def test_a_version_2_database_gains_the_fool_table_and_keeps_its_games(
    store: ScoreStore,
) -> None:
    store.path.parent.mkdir(parents=True)
    with sqlite3.connect(store.path) as conn:
        conn.executescript(SCHEMA_V2)
    assert store.fool_best("abc", "A") is None  # reading migrates
    assert store.schema_version() == SCHEMA_VERSION == 3
    assert columns(store.path, "fool_best") == {"alphabet", "letter", "flips", "name", "played_at"}
    assert [(e.name, e.rounds) for e in store.leaderboard("abc", "hard")] == [("old", 2)]
    best, new = store.record_fool("abc", "A", 3, clean_name("ann"), "2026-12-01T00:00:00+00:00")
    assert new and (best.flips, best.name) == (3, "ann")
    store.migrate()  # again: a no-op
    assert store.fool_best("abc", "A") == best
    assert store.game_count() == 1


def test_fool_keeps_the_fewest_flips_per_letter_and_the_first_to_reach_them(
    store: ScoreStore,
) -> None:
    first, new = store.record_fool("abc", "B", 4, clean_name("ann"), "2026-12-01T00:00:00+00:00")
    assert new and first.flips == 4
    # More flips, and as many: the first best stays.
    for flips, name in ((5, "bob"), (4, "cy")):
        best, new = store.record_fool(
            "abc", "B", flips, clean_name(name), "2026-12-02T00:00:00+00:00"
        )
        assert not new and best == first
    best, new = store.record_fool("abc", "B", 2, clean_name("dee"), "2026-12-03T00:00:00+00:00")
    assert new and (best.flips, best.name, best.played_at) == (
        2,
        "dee",
        "2026-12-03T00:00:00+00:00",
    )
    assert store.fool_best("abc", "B") == best
    # Each letter and each alphabet has its own best.
    assert store.fool_best("abc", "A") is None
    assert store.fool_best("az", "B") is None
    store.record_fool("az", "B", 6, clean_name("eve"))
    assert store.fool_best("abc", "B") == best
    assert store.fool_best("az", "B").flips == 6  # type: ignore[union-attr]
