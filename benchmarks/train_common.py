"""Shared by the training benchmarks: timing, medians, and what the machine runs."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable


def median_time(fn: Callable[[], object], repeats: int) -> float:
    """Median wall time of `fn()` over `repeats` calls (after one untimed warm-up)."""
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(fns: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Median wall time of each function, run in turn so that a busy moment on the machine
    hits all of them alike."""
    for fn in fns.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def machine() -> str:
    import numpy as np

    parts = [f"python {platform.python_version()}", f"numpy {np.__version__}"]
    try:
        from threadpoolctl import threadpool_info

        for info in threadpool_info():
            if info["user_api"] == "blas":
                parts.append(
                    f"{info['internal_api']} {info.get('version')} "
                    f"kernel {info.get('architecture')} threads {info['num_threads']}"
                )
    except ImportError:
        parts.append("(pip install threadpoolctl to show the BLAS kernel)")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        parts.append(f"{var}={os.environ.get(var, '(unset)')}")
    parts.append(f"{os.cpu_count()} cpus")
    # Other work on the machine skews every figure: say how busy it was.
    parts.append("load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    return ", ".join(parts)


def torch_or_none():
    try:
        import torch
    except ImportError:
        return None
    return torch
