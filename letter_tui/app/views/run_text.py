"""Text of the Train screen's run: the stats line beside the progress bar (as much as fits),
a single step's loss, and rates and durations as the screen writes them. The widget they are
drawn in is `widgets.text_line.TextLine`."""

from __future__ import annotations

from collections.abc import Sequence

from letter_tui.core.training import Update


def stats_choices(update: Update, phase: str | None, *, timing: bool = True) -> list[str]:
    """What the stats line can say, longest first: the caller shows the first that fits.
    `timing` off leaves out everything that depends on the clock (for screenshots)."""
    done = f"{update.epochs_done}/{update.epochs_total}"
    if phase is not None and not update.finished:
        return [f"{done} epochs, {phase}", f"{done}, {phase}", done]
    if not timing or update.seconds <= 0:
        return [f"{done} epochs", done]
    # A paced run goes at its pace; the finished line says the rate it went at on average.
    paced = update.speed and not update.finished
    rate = per_second(update.speed if paced else update.epochs_per_second)
    if update.finished:
        took = duration(update.seconds)
        return [
            f"{done} epochs in {took}, {rate}",
            f"{done} epochs in {took}",
            f"{done} in {took}",
            done,
        ]
    left = update.seconds_left
    if left is None:
        return [f"{done} epochs, {rate}", f"{done} epochs", done]
    left_text = f"{duration(left)} left"
    return [
        f"{done} epochs, {left_text}, {rate}",
        f"{done} epochs, {left_text}",
        f"{done}, {left_text}",
        done,
    ]


def step_loss(curve: Sequence[tuple[int, float]], epoch: int) -> str:
    """What a single step (n) says: the loss of `epoch` and how it changed since the
    epoch measured before it ("" when `epoch` was not measured)."""
    if not curve or curve[-1][0] != epoch:
        return ""
    loss = curve[-1][1]
    text = f"Epoch {epoch}: loss {loss:.3g}"  # 3 significant figures; the log has all
    if len(curve) > 1:
        before_epoch, before = curve[-2]
        change = loss - before
        if change == 0:
            text += f", the same as at epoch {before_epoch}"
        else:
            way = "down" if change < 0 else "up"
            text += f", {way} {abs(change):.3g} from epoch {before_epoch}"
    return text + "."


def per_second(rate: float) -> str:
    """A rate of epochs: "12,345/s", "400/s", "0.5/s"."""
    return f"{rate:,.0f}/s" if rate >= 10 else f"{rate:.2g}/s"


def epochs(count: int) -> str:
    return f"{count} epoch" if count == 1 else f"{count} epochs"


def duration(seconds: float) -> str:
    if seconds < 10:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}" if minutes else f"{secs} s"
