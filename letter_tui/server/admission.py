"""Who may start logging in: the limits checked the moment a connection is accepted,
before any key exchange work, on connections that are not yet playing.

Modelled on OpenSSH's sshd: PerSourceMaxStartups (a cap per address), MaxStartups
start:rate:full (random early drop of connections not yet logged in) and a token bucket
per address as Charm's wish ratelimiter. The per-address checks come first, so that an
address over its own limit is refused without counting towards the total, and one
address alone cannot make the random drop apply to anyone else. Connections already
playing are never counted here, so these limits never touch a player.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter, deque
from collections.abc import Callable

PER_SOURCE = "too many connections from this address"
RATE = "rate limit"
FULL = "too many connections logging in"
EARLY_DROP = "random early drop"


class RateLimiter:
    """A token bucket per address: `burst` new connections at once, then `per_minute`."""

    def __init__(self, burst: int, per_minute: float, clock: Callable[[], float] = time.monotonic):
        self.burst, self.rate, self.clock = burst, per_minute / 60.0, clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, address: str) -> bool:
        now = self.clock()
        tokens, then = self._buckets.get(address, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - then) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[address] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > 10_000:  # forget full buckets: they behave as new ones
            full = [a for a, (t, _) in self._buckets.items() if t >= self.burst - 1]
            for a in full:
                del self._buckets[a]
        return allowed


class Admission:
    """Counts the connections not yet playing, per address and in total."""

    def __init__(
        self,
        per_source: int,
        start: int,
        rate: int,
        full: int,
        burst: int,
        per_minute: float,
        chance: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_source, self.start, self.rate, self.full = per_source, start, rate, full
        self.limiter = RateLimiter(burst, per_minute, clock)
        self.chance = chance
        self.waiting: Counter[str] = Counter()
        self.total = 0

    def drop_probability(self) -> float:
        """sshd's MaxStartups: `rate` % at `start` waiting, rising linearly to 100 % at `full`."""
        if self.total < self.start:
            return 0.0
        if self.total >= self.full:
            return 1.0
        span = max(1, self.full - self.start)
        rate = self.rate / 100
        return rate + (1 - rate) * (self.total - self.start) / span

    def admit(self, address: str) -> str | None:
        """None if the connection may go on (it is counted until `release`), else why not."""
        if self.waiting[address] >= self.per_source:
            return PER_SOURCE
        if not self.limiter.allow(address):
            return RATE
        if self.total >= self.full:
            return FULL
        if self.total >= self.start and self.chance() < self.drop_probability():
            return EARLY_DROP
        self.waiting[address] += 1
        self.total += 1
        return None

    def release(self, address: str) -> None:
        """The connection started playing or went away."""
        self.waiting[address] -= 1
        if self.waiting[address] <= 0:
            del self.waiting[address]
        self.total -= 1


class StartQueue:
    """At most `limit` players' processes starting at once; the others wait their turn,
    first come first served.

    A class connecting at once otherwise shares the cores thirty ways, and every player
    gets a first frame near the end (~6.5 s for 30 on 2 cores). Started a few at a time,
    the first frames come out steadily: the median halves and nobody waits longer than
    before. A player leaves the queue's count once its first frame is out (the session
    sees it in the output it relays) or its deadline passes, so a slow or stuck start
    never holds the others. Players already playing are never counted here.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.starting = 0
        self.most = 0  # the most ever starting at once, for tests and the log
        self.waited = 0  # how many had to wait their turn
        self._queue: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for turn in self._queue if not turn.done())

    async def enter(self) -> bool:
        """Until it is this caller's turn to start; True if it had to wait. Cancelling
        the wait (the player left) gives up the place, or the turn if it just came."""
        if self.starting < self.limit and not self.waiting:
            self._take()
            return False
        turn = asyncio.get_running_loop().create_future()
        self._queue.append(turn)
        self.waited += 1
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self.leave()  # the turn came as the wait was cancelled: pass it on
            raise
        return True

    def leave(self) -> None:
        """One start is over (first frame, deadline, failure or exit): the next one's turn."""
        self.starting -= 1
        while self._queue and self.starting < self.limit:
            turn = self._queue.popleft()
            if not turn.done():
                self._take()
                turn.set_result(None)

    def _take(self) -> None:
        self.starting += 1
        self.most = max(self.most, self.starting)
