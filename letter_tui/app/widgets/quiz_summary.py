"""The end of a game: a one-line headline (who won, by how much), accuracy of the player,
the network and the best possible reader (the ideal observer) on the same letters, accuracy
by noise level, and the rounds where only one of player and network was right (each can be
opened again)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from letter_tui.app import palette
from letter_tui.app.widgets.quiz_lazy import FillOnMount
from letter_tui.core.quiz import Result, Summary


def percent(part: float, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "-"


def totals_table(summary: Summary) -> Table:
    n = summary.rounds
    table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_column(justify="right")
    # Each reader's name in its colour from the palette (the same on every chart).
    you, network = Text("You", palette.YOU), Text("Network", palette.NETWORK)
    table.add_row(you, f"{summary.player_correct}/{n}", percent(summary.player_correct, n))
    table.add_row(network, f"{summary.network_correct}/{n}", percent(summary.network_correct, n))
    ideal = f"{summary.ideal_expected:.3g}/{n}"
    best = Text("Best possible reader", palette.BEST_READER)
    table.add_row(best, ideal, percent(summary.ideal_expected, n))
    return table


def headline(summary: Summary) -> Text:
    """Who won, by how much, in one line (the summary opens with it)."""
    you, net, n = summary.player_correct, summary.network_correct, summary.rounds
    gap = abs(you - net)
    rounds = "round" if gap == 1 else "rounds"
    if you > net:
        line = f"You won by {gap} {rounds}: {you} of {n} right, the network {net}."
    elif net > you:
        line = f"The network won by {gap} {rounds}: {net} of {n} right, you {you}."
    else:
        line = f"A draw: you and the network each read {you} of {n} right."
    return Text(line, style="bold")


def facts(summary: Summary) -> Text:
    text = Text(
        f"Mean noise {summary.mean_noise:.2f}, {summary.mean_answer_ms / 1000:.1f} s per answer",
        style="dim",
    )
    if summary.timeouts:
        plural = "time-out" if summary.timeouts == 1 else "time-outs"
        text.append(f", {summary.timeouts} {plural}", style="dim")
    text.append(
        "\nThe best possible reader (the ideal observer) picks the nearest letter; ties count "
        "as a share.",
        style="dim",
    )
    return text


def by_noise_table(summary: Summary) -> Table:
    table = Table(
        box=None,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        expand=False,
        header_style="bold",
    )
    # Headers spelled out (they were "n", "Net" and "Ideal").
    table.add_column("Noise")
    table.add_column("Rounds", justify="right")
    table.add_column("You", justify="right")
    table.add_column("Network", justify="right")
    table.add_column("Best\nreader", justify="right")
    for b in summary.by_noise:
        table.add_row(
            f"{b.low:.2f}-{b.high:.2f}",
            str(b.count),
            percent(b.player, b.count),
            percent(b.network, b.count),
            percent(b.ideal, b.count),
        )
    return table


def round_line(result: Result, labels: tuple[str, ...]) -> Text:
    rnd = result.round
    guess = "time ran out" if result.guess is None else labels[result.guess]
    who = "only you" if result.player_right else "only the network"
    return Text(
        f"Round {rnd.number:>2}: {labels[rnd.letter]} at noise {rnd.p:.2f}, "
        f"you {guess}, network {labels[rnd.network_guess]} ({who})"
    )


class SummaryView(FillOnMount):
    """Call `show(summary, name, labels)`; posts `RoundChosen` when a listed round is opened.
    `show` and `set_status` may be called before the view is mounted (see `FillOnMount`)."""

    DEFAULT_CSS = """
    SummaryView {
        height: 1fr;
    }

    #summary-top {
        height: auto;
    }

    #totals-box {
        width: 1fr;
        height: auto;
    }

    #headline {
        height: auto;
        padding: 0 1;
    }

    /* Wide enough for the spelled-out headers ("Rounds", "Network", "Best reader"). */
    #by-noise-box {
        width: 1fr;
        min-width: 38;
        max-width: 40;
        height: auto;
        max-height: 12;
    }

    #facts {
        margin-top: 1;
    }

    #split-box {
        height: 1fr;
        min-height: 4;
    }

    #split-rounds {
        height: 1fr;
        border: none;
        padding: 0;
    }

    #save-status {
        height: auto;
        padding: 0 1;
    }

    #totals-box, #by-noise-box {
        padding: 0 1;
    }
    """

    PAGE = "summary"

    class RoundChosen(Message):
        def __init__(self, result: Result) -> None:
            super().__init__()
            self.result = result

    def compose(self) -> ComposeResult:
        yield Static("", id="headline")
        with Horizontal(id="summary-top"):
            with Vertical(id="totals-box", classes="panel"):
                yield Static("", id="totals")
                yield Static("", id="facts")
            with Vertical(id="by-noise-box", classes="panel"):
                yield Static("", id="by-noise")
        with Vertical(id="split-box", classes="panel"):
            yield OptionList(id="split-rounds")
        yield Static("", id="save-status")

    def show(self, summary: Summary, name: str, labels: tuple[str, ...]) -> None:
        self.when_ready(lambda: self._show(summary, name, labels))

    def _show(self, summary: Summary, name: str, labels: tuple[str, ...]) -> None:
        self._results = {}
        self.query_one("#headline", Static).update(headline(summary))
        totals = self.query_one("#totals-box")
        # The name is the player's own text: a border title takes markup, so escape it.
        totals.border_title = Text(f"{name}: {summary.player_correct} of {summary.rounds}")
        self.query_one("#totals", Static).update(totals_table(summary))
        self.query_one("#facts", Static).update(facts(summary))
        self.query_one("#by-noise-box").border_title = "Accuracy by noise"
        self.query_one("#by-noise", Static).update(by_noise_table(summary))
        split = sorted(summary.only_player + summary.only_network, key=lambda r: r.round.number)
        box = self.query_one("#split-box")
        box.border_title = (
            f"Only you right: {len(summary.only_player)}, "
            f"only the network: {len(summary.only_network)}"
        )
        box.border_subtitle = "enter: look again" if split else ""
        options = self.query_one("#split-rounds", OptionList)
        options.clear_options()
        if split:
            for result in split:
                key = f"round-{result.round.number}"
                self._results[key] = result
                options.add_option(Option(round_line(result, labels), id=key))
            options.highlighted = 0
        else:
            options.add_option(
                Option(Text("You and the network were right on the same rounds."), disabled=True)
            )

    def set_status(self, text: Text) -> None:
        self.when_ready(lambda: self.query_one("#save-status", Static).update(text))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        result = self._results.get(event.option.id or "")
        if result is not None:
            self.post_message(self.RoundChosen(result))
