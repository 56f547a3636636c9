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

import random
import time
from collections import Counter
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
