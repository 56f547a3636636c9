"""Scores: the top 10 games of one alphabet and level, and accuracy against noise.

The store is read in a thread worker (a busy database waits up to its timeout) every time the
screen is shown, so a game just played, or played by someone else over SSH, is there.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import ContentSwitcher, DataTable, Static
from textual.worker import Worker, WorkerState

from letter_tui.app.screens.letter_screen import LetterScreen
from letter_tui.app.views.terminal_text import safe_text
from letter_tui.app.widgets.key_footer import KeyFooter
from letter_tui.app.widgets.noise_chart import NoiseChart
from letter_tui.app.widgets.title_bar import TitleBar
from letter_tui.core import paths
from letter_tui.core.scores import BoardEntry, NoiseBin, ScoreStore, ScoreStoreError

COLUMNS = ("#", "Name", "Score", "Acc.", "Time", "Network", "Noise", "Played (UTC)")


@dataclass(frozen=True)
class Boards:
    boards: tuple[tuple[str, str, int], ...]  # (alphabet, level, games)
    index: int  # the board shown
    entries: tuple[BoardEntry, ...]
    chart: tuple[NoiseBin, ...]  # the shown board's alphabet, every level together


class Loaded(Message):
    def __init__(self, boards: Boards) -> None:
        super().__init__()
        self.boards = boards


class LoadFailed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


def load(store: ScoreStore, want: tuple[str, str] | None) -> Boards | None:
    """The board `want` (or the nearest there is) with its entries and chart; None: no games."""
    if not store.exists():
        return None
    boards = tuple(store.boards())
    if not boards:
        return None
    index = 0
    if want is not None:
        keys = [(a, lv) for a, lv, _ in boards]
        if want in keys:
            index = keys.index(want)
        else:
            index = next((i for i, (a, _) in enumerate(keys) if a == want[0]), 0)
    alphabet, level, _ = boards[index]
    return Boards(
        boards=boards,
        index=index,
        entries=tuple(store.leaderboard(alphabet, level)),
        chart=tuple(store.noise_accuracy(alphabet)),
    )


def entry_row(e: BoardEntry, mine: bool = False) -> tuple[Text, ...]:
    """A board's row; `mine`: the game just played, marked ▶ (not by the cursor's colour alone)."""
    seconds = e.mean_answer_ms / 1000
    speed = "-" if seconds != seconds else f"{seconds:.1f} s"
    # Names were cleaned when saved, but the file may come from anywhere: never markup.
    return (
        Text(f"▶ {e.rank}" if mine else str(e.rank), justify="right"),
        Text(safe_text(e.name, 20)),
        Text(f"{e.user_correct}/{e.rounds}", justify="right"),
        Text(f"{e.accuracy:.0%}", justify="right"),
        Text(speed, justify="right"),
        Text(f"{e.network_correct}/{e.rounds}", justify="right"),
        Text(f"{e.mean_noise:.2f}", justify="right"),
        Text(safe_text(e.played_at[:16].replace("T", " "))),
    )


class LeaderboardScreen(LetterScreen[None]):
    CSS_PATH = "leaderboard.tcss"
    HELP_TOPIC = "leaderboard"
    BINDINGS = [
        # Not the arrow keys: the table uses them.
        Binding("b", "board(1)", "Next board"),
        Binding("B", "board(-1)", "Previous board", show=False),
        # One key, named after what it shows next.
        Binding("c", "show('chart')", "Chart"),
        Binding("c", "show('board')", "Board"),
        Binding("r", "reload", "Reload", show=False),
        Binding("p", "app.activity('quiz')", "Play"),
        Binding("escape", "app.activity('home')", "Home"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Boards | None = None
        self.want: tuple[str, str] | None = None
        self.seen_game: tuple[str, str, int] | None = None

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="board-title")
        with ContentSwitcher(id="board-pages", initial="board-page"):
            with Vertical(id="board-page", classes="panel"):
                yield DataTable(id="board-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="chart-page", classes="panel"):
                yield NoiseChart(id="noise-chart")
        yield Static("", id="board-note")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        self.query_one("#chart-page").border_title = "Accuracy against noise, every game"

    def on_screen_resume(self) -> None:
        last = getattr(self.app, "last_game", None)
        if last is not None and last != self.seen_game:
            # A game was just saved: open on its board.
            self.seen_game = last
            self.want = (last[0], last[1])
        elif self.want is None:
            self.want = (self.app.alphabet.name, "")
        self.action_reload()

    def action_reload(self) -> None:
        self._load(self.want)

    @work(thread=True, exclusive=True, exit_on_error=False, group="board")
    def _load(self, want: tuple[str, str] | None) -> None:
        store = ScoreStore(paths.scores_path(self.app.data_root))
        try:
            boards = load(store, want)
        except ScoreStoreError as error:
            self.post_message(LoadFailed(str(error)))
            return
        self.post_message(Loaded(boards) if boards else LoadFailed(""))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.post_message(LoadFailed(str(event.worker.error)))

    def on_loaded(self, message: Loaded) -> None:
        data = self.data = message.boards
        alphabet, level, games = data.boards[data.index]
        self.want = (alphabet, level)
        title = Text(f"Alphabet {safe_text(alphabet)}, level {safe_text(level)}", style="bold")
        plural = "game" if games == 1 else "games"
        title.append(f": top {len(data.entries)} of {games} {plural}")
        if len(data.boards) > 1:
            title.append(f"   (board {data.index + 1} of {len(data.boards)})", style="dim")
        self.query_one("#board-title", Static).update(title)
        self.query_one("#board-page").border_title = "By accuracy, then speed"
        table = self.query_one(DataTable)
        table.clear()
        mine = None
        last = getattr(self.app, "last_game", None)
        for i, entry in enumerate(data.entries):
            is_mine = last is not None and entry.game_id == last[2]
            table.add_row(*entry_row(entry, is_mine), key=str(entry.game_id))
            if is_mine:
                mine = i
        if mine is not None:
            table.move_cursor(row=mine)
        self.query_one(NoiseChart).bins = data.chart
        self.query_one("#chart-page").border_subtitle = f"alphabet {safe_text(alphabet)}"
        note = "Your game is marked ▶. " if mine is not None else ""
        if last is not None and mine is None and (alphabet, level) == last[:2]:
            note = "Your last game is not in the top 10. "
        self.query_one("#board-note", Static).update(
            Text(note + "Time is the mean answer time; Noise the game's mean flip probability.")
        )
        self.refresh_bindings()  # "Next board" works only when there is more than one

    def on_load_failed(self, message: LoadFailed) -> None:
        self.data = None
        self.query_one(DataTable).clear()
        self.query_one(NoiseChart).bins = ()
        if message.reason:
            text = Text(f"Cannot read the scores: {message.reason}", style="bold red")
        else:
            text = Text("No games yet: press p to play one.", style="bold")
        self.query_one("#board-title", Static).update(text)
        self.query_one("#board-note", Static).update("")

    def action_board(self, step: int) -> None:
        if self.data is None or len(self.data.boards) < 2:
            return
        index = (self.data.index + step) % len(self.data.boards)
        alphabet, level, _ = self.data.boards[index]
        self.want = (alphabet, level)
        self.action_reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show":
            return f"{parameters[0]}-page" != self.query_one(ContentSwitcher).current
        if action == "board":  # not offered while there is one board or none
            return self.data is not None and len(self.data.boards) > 1
        return True

    def action_show(self, page: str) -> None:
        self.query_one(ContentSwitcher).current = f"{page}-page"
        # The note explains the table's ▶ and columns: not the chart's.
        self.query_one("#board-note").display = page == "board"
        (self.query_one("#chart-page") if page == "chart" else self.query_one(DataTable)).focus()
        self.refresh_bindings()
