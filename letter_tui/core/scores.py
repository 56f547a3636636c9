"""The score store: finished quiz games and every answer, in SQLite (stdlib `sqlite3`).

One file, `<data-dir>/scores.sqlite3`, shared by every game on the machine (and by every
player of an SSH server), so:

- WAL mode and a busy timeout: two games saving at once both land, readers never block.
- A game is written in one `BEGIN IMMEDIATE` transaction: all of it or nothing.
- The schema is versioned with `PRAGMA user_version` and migrated in place, step by step.
- Any failure (corrupt file, locked, read-only, newer schema) raises `ScoreStoreError`, one
  line the UI can show as "score not saved". The file is never deleted or rewritten to
  "repair" it: a player's history is worth more than a clean start.

Each call opens its own short-lived connection, so the store can be used from any thread.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from letter_tui.core.errors import LetterTuiError
from letter_tui.core.names import PlayerName, checked_name

# The records live in score_records (no SQLite there); a dozen callers import them from here,
# beside the store that saves and answers them, so they are named here too.
from letter_tui.core.score_records import (
    NOISE_BIN_WIDTH,
    AnswerRecord,
    BoardEntry,
    FoolBest,
    GameRecord,
    NoiseBin,
    bin_index,
    bin_noise,
    utc_now,
)

__all__ = [
    "BOARD_SIZE",
    "DEFAULT_TIMEOUT_S",
    "LEVEL_ORDER",
    "MIGRATIONS",
    "NOISE_BIN_WIDTH",
    "SCHEMA_VERSION",
    "AnswerRecord",
    "BoardEntry",
    "FoolBest",
    "GameRecord",
    "NoiseBin",
    "ScoreStore",
    "ScoreStoreError",
    "bin_index",
    "bin_noise",
    "utc_now",
]

SCHEMA_VERSION = 3
DEFAULT_TIMEOUT_S = 5.0
BOARD_SIZE = 10


class ScoreStoreError(LetterTuiError):
    """The score database cannot be read or written; the message is one line for the user."""


# --- The schema and its history -----------------------------------------------------------

# Each step takes the database from version i to i + 1. Never edit a released step: add one.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first release.
    """
    CREATE TABLE scores (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        alphabet TEXT NOT NULL,
        rounds INTEGER NOT NULL,
        user_correct INTEGER NOT NULL,
        network_correct INTEGER NOT NULL,
        level TEXT NOT NULL,
        mean_noise REAL NOT NULL,
        played_at TEXT NOT NULL,
        duration_s REAL NOT NULL
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        game_id INTEGER NOT NULL REFERENCES scores(id) ON DELETE CASCADE,
        round_no INTEGER NOT NULL,
        letter TEXT NOT NULL,
        p REAL NOT NULL,
        flipped INTEGER NOT NULL,
        guess TEXT,
        network_guess TEXT NOT NULL,
        answer_ms INTEGER NOT NULL
    );
    """,
    # 1 -> 2: replayable games (seed, time limit), the ideal observer's credit and the bitmap
    # shown on each answer, and indexes for the leaderboard and the noise chart.
    """
    ALTER TABLE scores ADD COLUMN seed INTEGER;
    ALTER TABLE scores ADD COLUMN time_limit_s REAL;
    ALTER TABLE answers ADD COLUMN ideal_credit REAL;
    ALTER TABLE answers ADD COLUMN bitmap TEXT NOT NULL DEFAULT '';
    CREATE INDEX scores_board ON scores(alphabet, level);
    CREATE INDEX answers_game ON answers(game_id);
    """,
    # 2 -> 3: the fool screen's best result per letter: the fewest flips that fooled the
    # network while the best possible reader still read the letter, who did it and when.
    """
    CREATE TABLE fool_best (
        alphabet TEXT NOT NULL,
        letter TEXT NOT NULL,
        flips INTEGER NOT NULL,
        name TEXT NOT NULL,
        played_at TEXT NOT NULL,
        PRIMARY KEY (alphabet, letter)
    );
    """,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


def _describe(path: Path, error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    low = text.lower()
    if "locked" in low or "busy" in low:
        return f"{path}: the score database is busy (locked by another program); try again"
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return (
            f"{path}: the score database is damaged ({text}); it was left as it is: "
            "move it aside to start a new one"
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return f"{path}: cannot write the score database ({text}); check the folder's permissions"
    return f"{path}: score database error: {text}"


class ScoreStore:
    """Games and answers in `<data-dir>/scores.sqlite3`. Every method may raise ScoreStoreError."""

    def __init__(self, path: Path, *, timeout: float = DEFAULT_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.timeout = timeout

    def exists(self) -> bool:
        return self.path.is_file()

    @contextlib.contextmanager
    def _connect(self, *, create: bool = True) -> Iterator[sqlite3.Connection]:
        if not create and not self.exists():
            raise ScoreStoreError(f"{self.path}: no scores yet (the file does not exist)")
        conn = None
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit: transactions are begun explicitly, IMMEDIATE when writing, so a
            # writer waits for the lock up front instead of failing half-way.
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys = ON")
            self._prepare(conn)
            yield conn
        except sqlite3.Error as error:
            raise ScoreStoreError(_describe(self.path, error)) from error
        except OSError as error:
            raise ScoreStoreError(f"{self.path}: {error.strerror or error}") from error
        finally:
            if conn is not None:
                conn.close()

    def _prepare(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ScoreStoreError(
                f"{self.path}: written by a newer letter-tui (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade letter-tui to use it"
            )
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self._switch_to_wal(conn)
        if version < SCHEMA_VERSION:
            self._migrate(conn)

    def _switch_to_wal(self, conn: sqlite3.Connection) -> None:
        """Switch a new file to WAL. SQLite refuses the switch at once with "database is
        locked" while another process is creating the same file, without the busy timeout's
        wait: so wait here, up to the same timeout, for that process to finish."""
        deadline = time.monotonic() + self.timeout
        pause = 0.001
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error).lower() or time.monotonic() >= deadline:
                    raise
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return  # the other process switched it
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 0.05)

    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Read again under the write lock: another process may have migrated meanwhile.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def schema_version(self) -> int:
        with self._connect(create=False) as conn:
            return conn.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Create the file or bring its schema up to date (every other call does this too)."""
        with self._connect():
            pass

    def save(self, game: GameRecord) -> int:
        """Store `game` and its answers in one transaction; returns the game's id.

        The name must be one `clean_name` made (ValueError otherwise): this file is shown on
        every player's leaderboard, so nothing uncleaned reaches it."""
        checked_name(game.name)
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = conn.execute(
                    "INSERT INTO scores (name, alphabet, rounds, user_correct, network_correct,"
                    " level, mean_noise, played_at, duration_s, seed, time_limit_s)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        game.name,
                        game.alphabet,
                        game.rounds,
                        game.user_correct,
                        game.network_correct,
                        game.level,
                        game.mean_noise,
                        game.played_at,
                        game.duration_s,
                        game.seed,
                        game.time_limit_s,
                    ),
                )
                game_id = int(cursor.lastrowid or 0)
                conn.executemany(
                    "INSERT INTO answers (game_id, round_no, letter, p, flipped, guess,"
                    " network_guess, answer_ms, ideal_credit, bitmap)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            game_id,
                            a.round_no,
                            a.letter,
                            a.p,
                            a.flipped,
                            a.guess,
                            a.network_guess,
                            a.answer_ms,
                            a.ideal_credit,
                            a.bitmap,
                        )
                        for a in game.answers
                    ],
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return game_id

    # Speed is the mean answer time over the game's rounds (time spent reading the reveal
    # does not count); games without answers rank last among equals.
    _RANKED = """
        SELECT s.id, s.name, s.alphabet, s.level, s.rounds, s.user_correct, s.network_correct,
               s.mean_noise, s.played_at,
               COALESCE((SELECT AVG(a.answer_ms) FROM answers a WHERE a.game_id = s.id), 1e18)
                 AS mean_ms,
               CAST(s.user_correct AS REAL) / MAX(s.rounds, 1) AS acc
        FROM scores s WHERE s.alphabet = ? AND s.level = ?
    """
    _ORDER = " ORDER BY acc DESC, mean_ms ASC, s.played_at ASC, s.id ASC"

    def leaderboard(self, alphabet: str, level: str, limit: int = BOARD_SIZE) -> list[BoardEntry]:
        """The best games of `alphabet` at `level`: by accuracy, then by mean answer time."""
        with self._connect() as conn:
            rows = conn.execute(
                self._RANKED + self._ORDER + " LIMIT ?", (alphabet, level, limit)
            ).fetchall()
        return [_entry(rank, row) for rank, row in enumerate(rows, start=1)]

    def rank(self, game_id: int) -> int | None:
        """The place of game `game_id` on its own board (1 is best), or None when unknown."""
        with self._connect() as conn:
            found = conn.execute(
                "SELECT alphabet, level FROM scores WHERE id = ?", (game_id,)
            ).fetchone()
            if found is None:
                return None
            ids = conn.execute(self._RANKED + self._ORDER, found).fetchall()
        return next(i for i, row in enumerate(ids, start=1) if row[0] == game_id)

    def boards(self) -> list[tuple[str, str, int]]:
        """Every (alphabet, level, games) that has games, alphabet then level order."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT alphabet, level, COUNT(*) FROM scores GROUP BY alphabet, level"
            ).fetchall()
        return sorted(rows, key=lambda r: (r[0], _level_order(r[1]), r[1]))

    def game_count(self) -> int:
        with self._connect() as conn:
            return conn.execute("SELECT COUNT(*) FROM scores").fetchone()[0]

    def answers(self, game_id: int) -> list[AnswerRecord]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT round_no, letter, p, flipped, guess, network_guess, "
                "COALESCE(ideal_credit, 0), answer_ms, bitmap FROM answers "
                "WHERE game_id = ? ORDER BY round_no",
                (game_id,),
            ).fetchall()
        return [AnswerRecord(*row) for row in rows]

    def noise_accuracy(
        self, alphabet: str, width: float = NOISE_BIN_WIDTH, *, name: str | None = None
    ) -> list[NoiseBin]:
        """Accuracy against flip probability over every stored answer for `alphabet` (all
        players together, or one `name`), beside the network and ideal observer on the same
        items. Answers stored before the ideal observer was recorded count it as 0."""
        # Binned in SQL, as bin_index does (p >= 0, so CAST truncating is floor): the
        # history can hold hundreds of thousands of answers.
        query = (
            "SELECT CAST(a.p / ? + 1e-9 AS INTEGER) AS k, AVG(a.p), COUNT(*),"
            " SUM(a.guess IS NOT NULL AND a.guess = a.letter),"
            " SUM(a.network_guess = a.letter), SUM(COALESCE(a.ideal_credit, 0))"
            " FROM answers a JOIN scores s ON s.id = a.game_id WHERE s.alphabet = ?"
        )
        params: tuple[object, ...] = (width, alphabet)
        if name is not None:
            query += " AND s.name = ?"
            params += (name,)
        with self._connect() as conn:
            rows = conn.execute(query + " GROUP BY k ORDER BY k", params).fetchall()
        return [
            NoiseBin(
                low=round(k * width, 6),
                high=round((k + 1) * width, 6),
                mean_p=mean_p,
                count=count,
                player=player,
                network=network,
                ideal=float(ideal),
            )
            for k, mean_p, count, player, network, ideal in rows
        ]

    # --- The fool game's bests ------------------------------------------------------------

    def fool_best(self, alphabet: str, letter: str) -> FoolBest | None:
        """The best fool result so far for `letter` of `alphabet`, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT alphabet, letter, flips, name, played_at FROM fool_best"
                " WHERE alphabet = ? AND letter = ?",
                (alphabet, letter),
            ).fetchone()
        return FoolBest(*row) if row else None

    def record_fool(
        self,
        alphabet: str,
        letter: str,
        flips: int,
        name: PlayerName,
        played_at: str | None = None,
    ) -> tuple[FoolBest, bool]:
        """Record a win with `flips` flips; keeps only the fewest per letter (on a tie, the
        first to reach it). Returns the best after this, and whether this win set it.
        `name` must be one `clean_name` made, as for `save`."""
        checked_name(name)
        played_at = played_at or utc_now()
        with self._connect() as conn:
            # Read and write under one write lock: two winners at once keep the better.
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute(
                    "SELECT alphabet, letter, flips, name, played_at FROM fool_best"
                    " WHERE alphabet = ? AND letter = ?",
                    (alphabet, letter),
                ).fetchone()
                if row is not None and row[2] <= flips:
                    conn.execute("COMMIT")
                    return FoolBest(*row), False
                conn.execute(
                    "INSERT OR REPLACE INTO fool_best (alphabet, letter, flips, name, played_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (alphabet, letter, flips, name, played_at),
                )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        return FoolBest(alphabet, letter, flips, name, played_at), True


LEVEL_ORDER = ("easy", "medium", "hard", "adaptive")


def _level_order(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _entry(rank: int, row: tuple) -> BoardEntry:
    game_id, name, alphabet, level, rounds, user, network, noise, played, mean_ms, _acc = row
    return BoardEntry(
        rank=rank,
        game_id=game_id,
        name=name,
        alphabet=alphabet,
        level=level,
        rounds=rounds,
        user_correct=user,
        network_correct=network,
        mean_noise=noise,
        mean_answer_ms=float("nan") if mean_ms >= 1e18 else float(mean_ms),
        played_at=played,
    )
