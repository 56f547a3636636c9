"""TrainController without Pilot: every transition, what each state allows, the illegal ones."""

from __future__ import annotations

import pytest

from letter_tui.core.alphabet import load_bundled
from letter_tui.core.training import TrainingRun, TrainSettings
from letter_tui.services.train_controller import (
    ALLOWED,
    IllegalTransition,
    Launch,
    TrainController,
    TrainState,
)

S = TrainState


def make() -> tuple[TrainController, list[Launch], list[TrainState]]:
    launched: list[Launch] = []
    changes: list[TrainState] = []
    return TrainController(launched.append, changes.append), launched, changes


def new_run(epochs: int = 20) -> TrainingRun:
    return TrainingRun(load_bundled("abc"), TrainSettings(epochs=epochs, log_every=10))


def to(state: TrainState) -> tuple[TrainController, list[Launch], list[TrainState]]:
    """A controller brought to `state` by legal moves."""
    c, launched, changes = make()
    if state == S.IDLE:
        return c, launched, changes
    if state == S.STEPPING:
        c.step(new_run())
        return c, launched, changes
    c.start(new_run())
    if state == S.RUNNING:
        return c, launched, changes
    if state == S.STOPPING:
        c.stop()
        return c, launched, changes
    c.pause()
    if state == S.PAUSING:
        return c, launched, changes
    c.worker_stopped()
    if state == S.PAUSED:
        return c, launched, changes
    c.stop()
    c.measured()
    assert state == S.ASKING
    return c, launched, changes


def test_states_compare_as_the_words_the_screen_always_used() -> None:
    assert S.PAUSED == "paused" and S.IDLE == "idle" and f"{S.RUNNING}" == "running"


def test_start_launches_to_the_end_and_pause_sets_the_workers_stop() -> None:
    c, launched, changes = make()
    run = new_run()
    c.start(run)
    assert c.state == S.RUNNING and c.run is run and changes == [S.RUNNING]
    (launch,) = launched
    assert launch.run is run and launch.epochs is None and not launch.control.ask
    c.pause()
    assert c.state == S.PAUSING and launch.stop.is_set() and not launch.control.ask
    c.worker_stopped()
    assert c.state == S.PAUSED and c.run is run
    c.resume()
    assert c.state == S.RUNNING and launched[-1].epochs is None
    assert launched[-1].stop is not launch.stop  # a fresh event for each worker


def test_steps_queue_while_one_is_in_flight_and_pause_clears_them() -> None:
    c, launched, _ = make()
    run = new_run()
    c.step(run)
    assert c.state == S.STEPPING and launched[-1].epochs == 1
    c.step()
    c.step()
    assert c.steps_queued == 2 and len(launched) == 1
    c.worker_stopped()  # the first step is done: the next one starts
    assert c.state == S.STEPPING and c.steps_queued == 1 and len(launched) == 2
    c.pause()
    assert c.state == S.PAUSING and c.steps_queued == 0
    c.worker_stopped()
    assert c.state == S.PAUSED
    c.step()
    assert c.state == S.STEPPING and launched[-1].run is run


def test_a_step_that_ends_the_run_does_not_step_on() -> None:
    c, launched, _ = make()
    run = new_run(epochs=1)
    c.step(run)
    c.step()
    list(run.run())  # what the worker did: the only epoch
    c.worker_stopped()
    assert c.state == S.PAUSED and c.steps_queued == 0 and len(launched) == 1


def test_x_while_training_stops_the_worker_and_asks() -> None:
    c, launched, _ = to(S.RUNNING)
    c.stop()
    assert c.state == S.STOPPING and launched[-1].control.ask and launched[-1].stop.is_set()
    c.stop()  # a second x while the question is on its way: nothing
    assert c.state == S.STOPPING and len(launched) == 1
    c.measured()
    assert c.state == S.ASKING
    assert c.answered(done=False) is None and c.state == S.PAUSED and c.run is not None


def test_x_while_paused_measures_in_a_zero_epoch_worker() -> None:
    c, launched, _ = to(S.PAUSED)
    c.stop()
    assert c.state == S.STOPPING and launched[-1].epochs == 0 and launched[-1].control.ask
    assert not launched[-1].stop.is_set()
    c.measured()
    assert c.answered(done=True) is None and c.state == S.IDLE and c.run is None


def test_leaving_with_a_paused_run_asks_and_proceeds_after_the_answer() -> None:
    c, _, _ = to(S.PAUSED)
    went: list[str] = []
    assert c.before_leaving(lambda: went.append("home"))
    assert c.state == S.STOPPING and c.leaving
    assert c.before_leaving(lambda: went.append("again"))  # one question at a time
    c.measured()
    then = c.answered(done=True)
    assert then is not None and not c.leaving
    then()
    assert went == ["home"]


@pytest.mark.parametrize("state", [S.IDLE, S.RUNNING, S.STEPPING, S.PAUSING])
def test_leaving_asks_nothing_unless_paused(state: TrainState) -> None:
    c, _, _ = to(state)
    assert not c.before_leaving(lambda: None) and c.state == state


def test_a_finished_run_is_saved_and_idle_again() -> None:
    for state in (S.RUNNING, S.STEPPING, S.PAUSING, S.STOPPING):
        c, _, changes = to(state)
        c.saved()
        assert c.state == S.IDLE and c.run is None and changes[-1] == S.IDLE


@pytest.mark.parametrize("state", list(TrainState))
def test_a_failure_from_anywhere_ends_the_run(state: TrainState) -> None:
    c, _, _ = to(state)
    c.then = lambda: None
    c.failed()
    assert c.state == S.IDLE and c.run is None and c.then is None


def test_quitting_abandons_the_worker() -> None:
    c, launched, _ = to(S.RUNNING)
    c.abandon()
    assert launched[-1].control.abandoned and launched[-1].stop.is_set()


EXPECTED = {
    S.IDLE: {"start", "step", "form_speed", "edit", "tutorial", "defaults"},
    S.RUNNING: {"pause", "stop", "speed"},
    S.STEPPING: {"pause", "step", "stop", "speed"},
    S.PAUSING: {"speed"},
    S.PAUSED: {"resume", "step", "stop", "speed"},
    S.STOPPING: {"speed"},
    S.ASKING: {"speed"},
}


@pytest.mark.parametrize("state", list(TrainState))
def test_what_each_state_allows(state: TrainState) -> None:
    c, _, _ = to(state)
    assert {a for a in ALLOWED if c.allows(a)} == EXPECTED[state]
    assert c.allows("inside") and c.allows("focus_log")  # not the run's business


ACTIONS = {
    "start": lambda c: c.start(new_run()),
    "pause": lambda c: c.pause(),
    "resume": lambda c: c.resume(),
    "step": lambda c: c.step(new_run()),
    "stop": lambda c: c.stop(),
}


@pytest.mark.parametrize("state", list(TrainState))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_an_action_a_state_does_not_allow_is_refused(state: TrainState, action: str) -> None:
    c, launched, _ = to(state)
    before = (c.state, len(launched), c.run)
    if c.allows(action) or (action == "stop" and state in (S.STOPPING, S.ASKING)):
        return  # legal (a second x while asking is a legal no-op)
    with pytest.raises(IllegalTransition):
        ACTIONS[action](c)
    assert (c.state, len(launched), c.run) == before


@pytest.mark.parametrize(
    ("report", "legal"),
    [
        ("worker_stopped", {S.RUNNING, S.STEPPING, S.PAUSING, S.STOPPING}),
        ("measured", {S.STOPPING}),
        ("saved", {S.RUNNING, S.STEPPING, S.PAUSING, S.STOPPING}),
    ],
)
def test_worker_reports_in_the_wrong_state_are_refused(report: str, legal: set) -> None:
    for state in set(TrainState) - legal:
        c, _, _ = to(state)
        with pytest.raises(IllegalTransition):
            getattr(c, report)()
        assert c.state == state


def test_an_answer_without_a_question_is_refused() -> None:
    for state in set(TrainState) - {S.ASKING}:
        c, _, _ = to(state)
        with pytest.raises(IllegalTransition):
            c.answered(done=True)


def test_step_while_idle_needs_a_run() -> None:
    c, _, _ = make()
    with pytest.raises(IllegalTransition):
        c.step()
    assert c.state == S.IDLE


def test_shown_phase() -> None:
    phases = {s: to(s)[0].shown_phase for s in TrainState}
    assert phases == {
        S.IDLE: None,
        S.RUNNING: None,
        S.STEPPING: "paused",
        S.PAUSING: "paused",
        S.PAUSED: None,
        S.STOPPING: "stopped",
        S.ASKING: None,
    }
