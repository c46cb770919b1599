"""Benchmarks: scripts that print figures, never tests.

Each public module here (bench/<name>.py, name not starting with "_") that
exposes ``run(n: int) -> dict`` is a benchmark. Run them with ``safepath bench``
or ``python bench/run.py``; see bench/README.md.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent

# Modules in bench/ that are not benchmarks.
_NOT_BENCHMARKS = frozenset({"run"})


def names() -> list[str]:
    """Benchmark module names, sorted, without importing them (helpers start with "_")."""
    return sorted(
        info.name
        for info in pkgutil.iter_modules([str(BENCH_DIR)])
        if not info.name.startswith("_") and info.name not in _NOT_BENCHMARKS and not info.ispkg
    )


def load(name: str) -> Callable[[int], dict]:
    """The ``run`` function of benchmark ``name``; Django must be set up first."""
    if name not in names():
        raise LookupError(f"No benchmark {name!r}. Available: {', '.join(names())}.")
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run", None)
    if not callable(run):
        raise LookupError(f"bench/{name}.py has no run(n) function.")
    return run
