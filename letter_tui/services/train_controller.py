"""Train's run states and every transition between them, without Textual.

TrainScreen draws; this decides. The training itself happens in a worker the screen starts
for each `Launch` (the run trains in pieces: pause and resume, single steps), reporting back
with `worker_stopped` (paused or stepped), `saved` (finished and saved), `measured` (stopped
to ask Keep or Discard) or `failed`. Every action the keys trigger is legal only in the
states `allows` names; anything else raises `IllegalTransition`, so a stray path cannot
start a second worker on the same run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from letter_tui.core.training import TrainingRun


class TrainState(StrEnum):
    IDLE = "idle"  # no run, or the last one ended (saved, discarded, failed)
    RUNNING = "running"  # the worker trains towards the end
    STEPPING = "stepping"  # the worker trains one epoch (n); more presses queue up
    PAUSING = "pausing"  # space: the worker is stopping between epochs
    PAUSED = "paused"  # no worker; the run waits for space, n or x
    STOPPING = "stopping"  # x: the worker stops and measures both models for the question
    ASKING = "asking"  # the Keep / Discard question is on screen; the run waits, paused


# The states a run is under way in: quitting would lose it.
UNDER_WAY = frozenset(TrainState) - {TrainState.IDLE}
# Where the worker is training (the footer shows the running keys a moment later).
TRAINING = frozenset({TrainState.RUNNING, TrainState.STEPPING})

ALLOWED: dict[str, frozenset[TrainState]] = {
    # Not while paused: starting afresh would throw the paused run away unasked.
    "start": frozenset({TrainState.IDLE}),
    "pause": TRAINING,
    "resume": frozenset({TrainState.PAUSED}),
    # While a step is in flight, more presses queue up: holding n steps steadily.
    "step": frozenset({TrainState.IDLE, TrainState.PAUSED, TrainState.STEPPING}),
    "stop": frozenset({TrainState.RUNNING, TrainState.STEPPING, TrainState.PAUSED}),
    "speed": UNDER_WAY,  # the run's pace
    "form_speed": frozenset({TrainState.IDLE}),  # the form's pace, for the next run
    # The form shows the run's settings until it ends (x stops and asks).
    "edit": frozenset({TrainState.IDLE}),
    "tutorial": frozenset({TrainState.IDLE}),
    "defaults": frozenset({TrainState.IDLE}),
}


class IllegalTransition(RuntimeError):
    """An action asked for in a state that does not allow it (a bug in the caller)."""


@dataclass
class Control:
    """What the worker should do once its stop event is set; written only by the UI."""

    ask: bool = False  # stop and ask whether to keep the run (otherwise: pause)
    abandoned: bool = False  # the app is quitting: stop and save nothing


@dataclass(frozen=True)
class Launch:
    """Start a worker: train `run` `epochs` more (None: to the end; 1: a step; 0: nothing,
    only measure the models for the question). `stop` and `control` are this worker's."""

    run: TrainingRun
    epochs: int | None
    stop: threading.Event = field(default_factory=threading.Event)
    control: Control = field(default_factory=Control)


class TrainController:
    """The run under way and its state; `launch` starts a worker, `changed` hears every
    change of state (both called on the caller's thread)."""

    def __init__(
        self,
        launch: Callable[[Launch], object],
        changed: Callable[[TrainState], object] | None = None,
    ) -> None:
        self._launch_worker = launch
        self._changed = changed
        self.state = TrainState.IDLE
        self.run: TrainingRun | None = None
        self.steps_queued = 0  # n pressed again while a step was in flight
        self.leaving = False  # the question was asked because the learner is leaving Train
        self.then: Callable[[], object] | None = None  # what to do once it is answered
        # The last worker's stop event and control: pause, x and quitting set them.
        self._stop = threading.Event()
        self._control = Control()

    # --- queries --------------------------------------------------------------------------

    def allows(self, action: str) -> bool:
        """Whether the key for `action` does anything now (unknown actions always do)."""
        states = ALLOWED.get(action)
        return states is None or self.state in states

    @property
    def under_way(self) -> bool:
        return self.state in UNDER_WAY

    @property
    def shown_phase(self) -> str | None:
        """Why a run's progress is not moving, for its stats line: paused or stopped."""
        return {
            TrainState.PAUSING: "paused",
            TrainState.STEPPING: "paused",  # a single step: no time left to speak of
            TrainState.STOPPING: "stopped",
        }.get(self.state)

    # --- transitions ----------------------------------------------------------------------

    def _require(self, action: str, *states: TrainState) -> None:
        if self.state not in (states or ALLOWED[action]):
            raise IllegalTransition(f"{action} while {self.state}")

    def _set(self, state: TrainState) -> None:
        if state != self.state:
            self.state = state
            if self._changed is not None:
                self._changed(state)

    def _launch(self, run: TrainingRun, epochs: int | None, state: TrainState) -> None:
        self.run = run
        launch = Launch(run, epochs, control=Control(ask=state == TrainState.STOPPING))
        self._stop, self._control = launch.stop, launch.control
        self._set(state)
        self._launch_worker(launch)

    def start(self, run: TrainingRun) -> None:
        """s: train a new run to its end."""
        self._require("start")
        self._launch(run, None, TrainState.RUNNING)

    def pause(self) -> None:
        """space while training: stop between epochs; `worker_stopped` follows."""
        self._require("pause")
        self.steps_queued = 0
        self._control.ask = False
        self._set(TrainState.PAUSING)
        self._stop.set()

    def resume(self) -> None:
        """space while paused: train on to the end with the same run."""
        self._require("resume")
        assert self.run is not None
        self._launch(self.run, None, TrainState.RUNNING)

    def step(self, new_run: TrainingRun | None = None) -> None:
        """n: one epoch of the paused run, or of `new_run` when idle; queued while a step
        is in flight."""
        self._require("step")
        if self.state == TrainState.STEPPING:
            self.steps_queued += 1
            return
        if self.state == TrainState.IDLE:
            if new_run is None:
                raise IllegalTransition("step while idle needs a new run")
            run = new_run
        else:
            assert self.run is not None
            run = self.run
        self._launch(run, 1, TrainState.STEPPING)

    def stop(self, then: Callable[[], object] | None = None, *, leaving: bool = False) -> None:
        """x: stop the run and ask Keep or Discard once the worker has measured both models
        (`measured` follows); `then` runs once it is answered, unless the answer is to stay.
        A second x while the question is on its way does nothing."""
        self.steps_queued = 0
        if self.state in (TrainState.STOPPING, TrainState.ASKING):
            return
        self._require("stop")
        self.then, self.leaving = then, leaving
        if self.state in TRAINING:
            self._control.ask = True
            self._set(TrainState.STOPPING)
            self._stop.set()
        else:
            assert self.run is not None
            # Nothing to train: a zero-epoch pass through the worker measures the models.
            self._launch(self.run, 0, TrainState.STOPPING)

    def before_leaving(self, proceed: Callable[[], object]) -> bool:
        """Leaving Train: True when the learner must answer first (a paused run is kept or
        discarded; `proceed` follows the answer), False to leave now. A running run goes
        on training in the background."""
        if self.state in (TrainState.STOPPING, TrainState.ASKING):
            return True  # the question is on its way: one at a time
        if self.state == TrainState.PAUSED:
            self.stop(proceed, leaving=True)
            return True
        return False

    def abandon(self) -> None:
        """The app is quitting: the worker stops at once and saves nothing."""
        self._control.abandoned = True
        self._stop.set()

    # --- what the worker reports ----------------------------------------------------------

    def worker_stopped(self) -> None:
        """The worker stopped short of the end without a model: paused or stepped. Queued
        steps go on; otherwise the run waits, paused."""
        self._require("worker_stopped", *TRAINING, TrainState.PAUSING, TrainState.STOPPING)
        run = self.run
        assert run is not None
        if self.state == TrainState.STEPPING and self.steps_queued and not run.finished:
            self.steps_queued -= 1
            self._launch(run, 1, TrainState.STEPPING)
            return
        self.steps_queued = 0
        self._set(TrainState.PAUSED)

    def measured(self) -> None:
        """The worker stopped and measured the models: the question goes on screen."""
        self._require("measured", TrainState.STOPPING)
        self._set(TrainState.ASKING)

    def answered(self, done: bool) -> Callable[[], object] | None:
        """The question was answered: `done` (kept or discarded) ends the run and returns
        what was to follow; otherwise (stay, or the keep could not be written) the run waits,
        paused, and nothing follows."""
        self._require("answered", TrainState.ASKING)
        then, self.then, self.leaving = self.then, None, False
        if not done:
            self._set(TrainState.PAUSED)
            return None
        self.run = None
        self._set(TrainState.IDLE)
        return then

    def saved(self) -> None:
        """The run finished and its model was saved."""
        self._require("saved", *TRAINING, TrainState.PAUSING, TrainState.STOPPING)
        self.run = None
        self.steps_queued = 0
        self._set(TrainState.IDLE)

    def failed(self) -> None:
        """The worker failed (weights not numbers, the disk refused): back to no run."""
        self.run = None
        self.steps_queued = 0
        self.then, self.leaving = None, False
        self._set(TrainState.IDLE)
